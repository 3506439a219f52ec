// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementation of `healthcode scan --canaries FILE [PATH…]` (issue 3 item 10): exit 1
 * on any hit, 0 on none, 2 when the scan could not be done (usage, unreadable files). Never
 * prints a canary value; never creates the data dir.
 */
import type { SingleBar } from 'cli-progress';
import { readFile } from 'node:fs/promises';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/errors.js';
import { parseCanaryText } from './needles.js';
import { scanPaths, type ScanResult } from './service.js';

export interface ScanCommandInput {
  readonly canaryFile: string;
  readonly paths: readonly string[];
  readonly progress: boolean;
}

/** Runs the scan and renders it; returns the exit code and both output forms. */
export async function runScanCommand(
  input: ScanCommandInput,
): Promise<{ exitCode: number; json: ScanResult & { clean: boolean }; text: string }> {
  let raw: Buffer;
  try {
    raw = await readFile(input.canaryFile);
  } catch {
    throw new UsageError('cannot read the canary file');
  }
  const canaries = parseCanaryText(raw);
  let bar: SingleBar | undefined;
  if (input.progress) {
    // Loaded only for a terminal: `--json` pipelines and tests never pay for it.
    const progress = (await import('cli-progress')).default;
    bar = new progress.SingleBar(
      { stream: process.stderr, format: 'scan [{bar}] {percentage}% {value}/{total} bytes' },
      progress.Presets.shades_classic,
    );
    bar.start(1, 0);
  }
  let result: ScanResult;
  try {
    result = await scanPaths(input.paths, canaries, {
      exclude: [input.canaryFile],
      onProgress: (done, total) => {
        bar?.setTotal(total);
        bar?.update(done);
      },
    });
  } finally {
    bar?.stop();
  }
  const clean = result.hits.length === 0 && result.truncatedHits === 0;
  const exitCode = !clean ? EXIT_NEGATIVE : result.unreadable.length > 0 ? EXIT_USAGE : EXIT_OK;
  return { exitCode, json: { clean, ...result }, text: render(result, clean) };
}

function render(r: ScanResult, clean: boolean): string {
  const lines: string[] = [];
  const byFile = new Map<string, ScanResult['hits']>();
  for (const h of r.hits) {
    const list = byFile.get(h.file) ?? [];
    list.push(h);
    byFile.set(h.file, list);
  }
  for (const [file, hits] of byFile) {
    lines.push(`${file}: ${hits.length} hit${hits.length === 1 ? '' : 's'}`);
    for (const h of hits) {
      const enc =
        h.alignment === undefined ? h.encoding : `${h.encoding} (alignment ${h.alignment})`;
      lines.push(`  offset ${h.offset}  ${enc}  canary line ${h.canaryLine}`);
    }
  }
  if (r.truncatedHits > 0) {
    lines.push(`(${r.truncatedHits} further hits not listed)`);
  }
  for (const u of r.unreadable) {
    lines.push(`unreadable: ${u.file} (${u.error})`);
  }
  lines.push(
    `${clean ? 'clean' : 'HITS FOUND'}: ${r.files} files, ${r.bytes} bytes scanned, ${r.hits.length + r.truncatedHits} hits`,
  );
  return lines.join('\n');
}
