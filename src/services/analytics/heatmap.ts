// SPDX-License-Identifier: Apache-2.0
/**
 * @module Heat maps of a release as standalone SVG: H3 hexagons (h3-js `cellToBoundary`) on an
 * equirectangular projection for map-shaped releases, a coloured matrix for OD and job-residence.
 * Suppressed cells are drawn hatched grey, so the picture shows what was withheld, not a zero.
 */
import { cellToBoundary } from 'h3-js';
import type { ReleasedValue } from '../../foundation/privacy/index.js';

/** Colour stops (viridis, approximately) from low to high. */
const STOPS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

function colour(x: number): string {
  const t = Math.min(1, Math.max(0, x)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  const mix = (k: number) => {
    const va = parseInt(a.slice(k, k + 2), 16);
    const vb = parseInt(b.slice(k, k + 2), 16);
    return Math.round(va + (vb - va) * f)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const HATCH =
  '<defs><pattern id="s" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee"/><line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>';

/** A map of per-cell values (already aggregated over other dimensions); null = suppressed. */
export function hexHeatmap(
  title: string,
  cells: ReadonlyMap<string, ReleasedValue>,
  width = 900,
): string {
  const polys: Array<{ pts: Array<[number, number]>; v: ReleasedValue }> = [];
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLng = Infinity;
  let maxLng = -Infinity;
  for (const [cell, v] of cells) {
    const pts = cellToBoundary(cell) as Array<[number, number]>;
    for (const [lat, lng] of pts) {
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
      minLng = Math.min(minLng, lng);
      maxLng = Math.max(maxLng, lng);
    }
    polys.push({ pts, v });
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-9, (maxLng - minLng) * kx);
  const spanY = Math.max(1e-9, maxLat - minLat);
  const scale = (width - 40) / spanX;
  const height = Math.ceil(spanY * scale) + 80;
  const max = Math.max(1, ...polys.map((p) => p.v ?? 0));
  const shapes = polys.map(({ pts, v }) => {
    const d = pts
      .map(
        ([lat, lng], i) =>
          `${i === 0 ? 'M' : 'L'}${(20 + (lng - minLng) * kx * scale).toFixed(1)},${(60 + (maxLat - lat) * scale).toFixed(1)}`,
      )
      .join('');
    const fill = v === null ? 'url(#s)' : colour(Math.sqrt(v / max));
    return `<path d="${d}Z" fill="${fill}" stroke="#fff" stroke-width="0.3"/>`;
  });
  return svg(width, height, title, `max ${max}; hatched = suppressed (below k)`, shapes.join(''));
}

/** A matrix heat map (rows × cols); null = suppressed. */
export function matrixHeatmap(
  title: string,
  rows: readonly string[],
  cols: readonly string[],
  values: readonly ReleasedValue[],
): string {
  const cell = Math.max(4, Math.min(40, Math.floor(760 / Math.max(rows.length, cols.length))));
  const labels = cell >= 14;
  const left = labels ? 90 : 20;
  const top = labels ? 110 : 60;
  const width = left + cols.length * cell + 20;
  const height = top + rows.length * cell + 20;
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const parts: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < cols.length; c++) {
      const v = values[r * cols.length + c] ?? null;
      const fill = v === null ? 'url(#s)' : colour(Math.sqrt(v / max));
      parts.push(
        `<rect x="${left + c * cell}" y="${top + r * cell}" width="${cell}" height="${cell}" fill="${fill}"/>`,
      );
    }
    if (labels) {
      parts.push(
        `<text x="${left - 4}" y="${top + r * cell + cell * 0.7}" font-size="10" text-anchor="end">${escapeXml(rows[r])}</text>`,
      );
    }
  }
  if (labels) {
    cols.forEach((c, i) => {
      const x = left + i * cell + cell * 0.7;
      parts.push(
        `<text x="${x}" y="${top - 4}" font-size="10" transform="rotate(-60 ${x} ${top - 4})">${escapeXml(c)}</text>`,
      );
    });
  }
  return svg(
    width,
    height,
    title,
    `rows: origin/home; columns: destination/work; max ${max}; hatched = suppressed`,
    parts.join(''),
  );
}

function svg(width: number, height: number, title: string, note: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${HATCH}
<rect width="100%" height="100%" fill="#fff"/>
<text x="20" y="24" font-family="sans-serif" font-size="16">${escapeXml(title)}</text>
<text x="20" y="44" font-family="sans-serif" font-size="11" fill="#555">${escapeXml(note)}</text>
${body}
</svg>
`;
}
