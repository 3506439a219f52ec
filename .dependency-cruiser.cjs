// SPDX-License-Identifier: Apache-2.0
// The architecture check (docs/architecture.md), run by `npm test`: layers import only downwards,
// nothing imports in a circle, and the few couplings the design forbids stay absent. Type-only
// imports count (tsPreCompilationDeps): a type is a dependency a reader has to follow too.
const layers = ['kernel', 'platform', 'foundation', 'personal', 'services', 'lifecycle', 'edges'];

/** Every layer above `i`, as one path alternation. */
const above = (i) => `^src/(${layers.slice(i + 1).join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can be read, tested or replaced alone.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-between-folders',
      comment: 'Folders that import each other are one capability in two places.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layers.slice(0, -1).map((layer, i) => ({
      name: `no-upward-from-${layer}`,
      comment: `The ${layer} layer serves the layers above it and must not know them.`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: above(i) },
    })),
    {
      name: 'vault-knows-no-consent-or-audit',
      comment: 'The vault asks its Guard and AuditPort ports; the root wires consent and audit in.',
      severity: 'error',
      from: { path: '^src/personal/vault/' },
      to: { path: '^src/(personal/consent|foundation/audit)/' },
    },
    {
      name: 'kernel-is-pure',
      comment: 'The kernel (domain, shared, crypto) does no I/O: no database, no CLI, no runtime.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/(platform|edges)/|^(better-sqlite3|pg|kysely|commander|fastify)$' },
    },
    {
      name: 'privacy-knows-no-database',
      comment: 'Privacy protocols run in party processes that hold no instance database.',
      severity: 'error',
      from: { path: '^src/foundation/privacy/' },
      to: { path: '^src/platform/db/|^(better-sqlite3|pg|kysely)$' },
    },
    {
      name: 'only-the-root-collects-modules',
      comment: 'Capability module objects are collected in one place, the composition root.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/edges/app/' },
      to: {
        path: '^src/(lifecycle|services|personal|foundation|platform)/[^/]+/module\\.ts$',
        pathNot: '^src/platform/runtime/module\\.ts$',
      },
    },
    {
      name: 'capabilities-know-no-edges',
      comment: 'Capabilities never import the composition root, the CLI entry or the HTTP server.',
      severity: 'error',
      from: { path: '^src/(lifecycle|services|personal|foundation|platform|kernel)/' },
      to: { path: '^src/edges/' },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Production code never imports tests, test support or test-only doubles.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/|\\.test\\.ts$|/testing\\.ts$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|^dist/' },
    includeOnly: '^src/',
    moduleSystems: ['es6'],
  },
};
