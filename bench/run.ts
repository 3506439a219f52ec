// SPDX-License-Identifier: Apache-2.0
/**
 * @module `npm run bench [-- NAME…] [--scale N] [--peers] [--crash]`: runs every compiled
 * `bench/*.bench.js` (or the named ones), prints a table and writes JSON under `bench/results/`.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

function parseArgs(argv: string[]) {
  const names: string[] = [];
  let scale = 100_000;
  let peers = false;
  let crash = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scale') {
      scale = Number(argv[++i]);
      if (!Number.isFinite(scale) || scale < 1) {
        throw new Error('--scale takes a positive number, e.g. 1e6');
      }
    } else if (a === '--peers') {
      peers = true;
    } else if (a === '--crash') {
      crash = true;
    } else {
      names.push(a);
    }
  }
  return { names, scale: Math.round(scale), peers, crash };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => args.names.length === 0 || args.names.includes(f.replace(/\.bench\.js$/, '')))
    .sort();
  if (files.length === 0) {
    process.stderr.write('bench: nothing to run\n');
    process.exitCode = 2;
    return;
  }
  const results: BenchResult[] = [];
  const outDir = join(repoRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const file of files) {
    const name = file.replace(/\.bench\.js$/, '');
    const tmpDir = mkdtempSync(join(tmpdir(), `hc-bench-${name}-`));
    process.stderr.write(`\n▶ ${name} (scale ${args.scale})\n`);
    try {
      const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
      const result = await mod.default({
        scale: args.scale,
        peers: args.peers,
        crash: args.crash,
        tmpDir,
        log: (msg) => process.stderr.write(`  ${msg}\n`),
      });
      results.push(result);
      writeFileSync(
        join(outDir, `${name}-${stamp}.json`),
        JSON.stringify(
          { ...result, scale: args.scale, at: new Date().toISOString(), node: process.version },
          null,
          2,
        ),
      );
    } catch (err) {
      process.stderr.write(`  ✗ ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
      results.push({ name, metrics: { error: (err as Error).message }, ratios: [] });
      process.exitCode = 1;
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  }
  printTable(results);
}

function printTable(results: BenchResult[]): void {
  const out: string[] = ['', 'benchmark | figure | value | target | pass', '---|---|---|---|---'];
  for (const r of results) {
    for (const [k, v] of Object.entries(r.metrics)) {
      out.push(`${r.name} | ${k} | ${v} | | `);
    }
    for (const q of r.ratios) {
      out.push(`${r.name} | ${q.name} | ${q.value} | ${q.target} | ${q.pass ? 'yes' : 'NO'}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

await main();
