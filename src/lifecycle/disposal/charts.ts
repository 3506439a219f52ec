// SPDX-License-Identifier: Apache-2.0
/**
 * @module Inline SVG charts for the disposal report: self-contained (no scripts, fonts or
 * network), printable, readable without colour (bars are also labelled with their numbers).
 */

/** Escapes text for HTML and SVG. */
export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface BarGroup {
  readonly label: string;
  readonly values: readonly number[];
}

const PALETTE = ['#8c2d19', '#2f6f4f', '#3b5b92', '#b58a1b'];

/** A horizontal grouped bar chart: one row per group, one bar per series. */
export function groupedBars(
  title: string,
  series: readonly string[],
  groups: readonly BarGroup[],
): string {
  const rowH = 14 * series.length + 10;
  const left = 150;
  const width = 640;
  const plotW = width - left - 70;
  const height = 40 + rowH * Math.max(groups.length, 1) + 20;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const parts: string[] = [];
  parts.push(`<text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text>`);
  series.forEach((s, i) => {
    parts.push(
      `<rect x="${left + i * 130}" y="24" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>` +
        `<text x="${left + i * 130 + 14}" y="33" font-size="11">${esc(s)}</text>`,
    );
  });
  groups.forEach((g, gi) => {
    const y0 = 44 + gi * rowH;
    parts.push(
      `<text x="${left - 6}" y="${y0 + rowH / 2}" font-size="11" text-anchor="end">${esc(g.label)}</text>`,
    );
    g.values.forEach((v, si) => {
      const w = Math.round((v / max) * plotW);
      const y = y0 + si * 14;
      parts.push(
        `<rect x="${left}" y="${y}" width="${Math.max(w, v > 0 ? 1 : 0)}" height="12" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${g.label} — ${series[si] ?? ''}: ${v}`)}</title></rect>` +
          `<text x="${left + w + 4}" y="${y + 10}" font-size="10">${v}</text>`,
      );
    });
  });
  if (groups.length === 0) {
    parts.push(`<text x="${left}" y="60" font-size="11">no data</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** A step line of progress (subjects done) over time. */
export function progressLine(
  title: string,
  points: readonly { at: number; done: number }[],
  total: number,
): string {
  const width = 640;
  const height = 220;
  const left = 60;
  const top = 30;
  const plotW = width - left - 20;
  const plotH = height - top - 40;
  const parts = [`<text x="0" y="16" font-size="14" font-weight="bold">${esc(title)}</text>`];
  if (points.length === 0) {
    parts.push(`<text x="${left}" y="${top + 20}" font-size="11">the plan has not run</text>`);
  } else {
    const t0 = points[0].at;
    const t1 = Math.max(points[points.length - 1].at, t0 + 1);
    const max = Math.max(total, 1);
    const x = (t: number) => left + ((t - t0) / (t1 - t0)) * plotW;
    const y = (d: number) => top + plotH - (d / max) * plotH;
    const path = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p.done).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#444"/>`,
      `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#444"/>`,
      `<text x="${left - 4}" y="${top + 4}" font-size="10" text-anchor="end">${max}</text>`,
      `<text x="${left - 4}" y="${top + plotH}" font-size="10" text-anchor="end">0</text>`,
      `<text x="${left}" y="${top + plotH + 14}" font-size="10">${esc(new Date(t0).toISOString())}</text>`,
      `<text x="${left + plotW}" y="${top + plotH + 28}" font-size="10" text-anchor="end">${esc(new Date(t1).toISOString())}</text>`,
      `<path d="${path}" fill="none" stroke="${PALETTE[2]}" stroke-width="2"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${parts.join('')}</svg>`;
}
