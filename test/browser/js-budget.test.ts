// SPDX-License-Identifier: Apache-2.0
/**
 * @module The JavaScript budget of issue 10: the citizen portal's first load under 300 KB of
 * JavaScript, gzipped. Sums, from the Vite manifest of the build in web/dist, the entry, the
 * citizen page chunk and everything they import statically (what the browser must fetch before
 * the portal works), plus the service worker. Sizes are deterministic: no timing here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', '..', 'web', 'dist');
const MANIFEST = join(DIST, '.vite', 'manifest.json');
export const BUDGET_BYTES = 300 * 1024;

interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

function closure(manifest: Record<string, Chunk>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key) || !(key in manifest)) {
      return;
    }
    seen.add(key);
    for (const k of manifest[key].imports ?? []) {
      walk(k);
    }
  };
  roots.forEach(walk);
  return seen;
}

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

describe('web UI JavaScript budget', () => {
  it('citizen portal first load < 300 KB of JavaScript gzipped', () => {
    if (!existsSync(MANIFEST)) {
      throw new Error(`${MANIFEST} is missing: run \`npm run build\` (npm test does)`);
    }
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, Chunk>;
    expect(manifest['index.html']?.isEntry).toBe(true);
    expect(manifest['src/pages/citizen.tsx']).toBeDefined();
    const keys = closure(manifest, ['index.html', 'src/pages/citizen.tsx']);
    const files = [...new Set([...keys].map((k) => manifest[k].file)), 'sw.js'];
    const sizes = files.map((f) => [f, gz(f)] as const);
    const total = sizes.reduce((n, [, s]) => n + s, 0);
    const all = Object.values(manifest)
      .map((c) => c.file)
      .filter((f) => f.endsWith('.js'));
    const everything = [...new Set(all)].reduce((n, f) => n + gz(f), gz('sw.js'));
    process.stdout.write(
      `citizen portal first-load JS: ${(total / 1024).toFixed(1)} KB gzipped ` +
        `(${sizes.map(([f, s]) => `${f.replace('assets/', '')} ${(s / 1024).toFixed(1)}`).join(', ')}); ` +
        `budget 300 KB; every page together ${(everything / 1024).toFixed(1)} KB\n`,
    );
    expect(total).toBeLessThan(BUDGET_BYTES);
  });
});
