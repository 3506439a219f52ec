// SPDX-License-Identifier: Apache-2.0
/**
 * @module Vite build of the web UI (issue 10 §4): the app under `/ui/`, the service worker as a
 * fixed-name entry (`sw.js`, so it can control `/ui/`), and `precache.json` listing every emitted
 * file so the worker caches the whole app on install and the verifier works offline.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Writes the list of built files (minus the worker and the list itself) for the worker's install. */
function precacheList(): Plugin {
  return {
    name: 'healthcode-precache-list',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && f !== 'precache.json' && !f.startsWith('.vite/'))
        .sort();
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files) });
    },
  };
}

export default defineConfig({
  root,
  base: '/ui/',
  plugins: [preact(), precacheList()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Read by test/browser/js-budget.test.ts to sum the citizen portal's first-load JavaScript.
    manifest: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        sw: fileURLToPath(new URL('sw/sw.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
