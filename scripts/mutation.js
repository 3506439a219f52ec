#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * @module `npm run mutation [-- MODULE… [--incremental]]`: StrykerJS over the modules where a
 * silent bug costs most, each against only the test files that cover it. Not part of CI (a
 * module takes minutes to tens of minutes). Reports go to `reports/mutation/<module>/`
 * (git-ignored); the scores and the survivors we keep are explained in docs/mutation-testing.md.
 * The exit code is 1 when a module scores below {@link GOAL} %.
 */
import console from 'node:console';
import { mkdirSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { Stryker } from '@stryker-mutator/core';

/** Below this mutation score (killed + timed out, of all covered and uncovered mutants) we fail. */
const GOAL = 80;

/**
 * What is mutated and which tests judge it. In-process tests only: the CLI end-to-end tests run
 * the compiled `dist/`, which Stryker does not mutate, so they would only add time.
 */
const MODULES = {
  audit: {
    title: 'audit verify',
    mutate: ['src/foundation/audit/verify.ts'],
    tests: [
      'src/foundation/audit/verify-tamper.test.ts',
      'src/foundation/audit/tamper.test.ts',
      'src/foundation/audit/service.test.ts',
    ],
  },
  token: {
    title: 'token verify',
    mutate: ['src/services/codes/verify.ts'],
    // Not the fuzz, service and subject tests: they cover every mutant and take a minute a run.
    tests: [
      'src/services/codes/verify-reasons.test.ts',
      'src/services/codes/verify-fast-path.test.ts',
      'src/services/codes/verify.test.ts',
      'src/services/codes/published.test.ts',
      'test/conformance/req-06.test.ts',
      'test/conformance/req-07.test.ts',
    ],
  },
  disposal: {
    title: 'disposal verify',
    mutate: ['src/lifecycle/disposal/verify.ts'],
    tests: ['src/lifecycle/disposal/verify.test.ts', 'src/lifecycle/disposal/executor.test.ts'],
  },
  consent: {
    title: 'consent guard',
    mutate: ['src/personal/consent/guard.ts', 'src/personal/consent/guard-service.ts'],
    tests: [
      'src/personal/consent/guard.test.ts',
      'src/personal/consent/guard-decide.test.ts',
      'src/personal/consent/guard-service.test.ts',
      'src/personal/consent/guard-wiring.test.ts',
    ],
  },
  // Vault erasure and access, measured in two runs to keep each under ~40 minutes.
  'vault-erase': {
    title: 'vault erasure',
    mutate: ['src/personal/vault/erase.ts'],
    // Each erasure step has a SQLite and a PostgreSQL path.
    dialects: 'sqlite,postgres',
    tests: [
      'src/personal/vault/erase-report.test.ts',
      'src/personal/vault/access.test.ts',
      'src/personal/vault/backup.test.ts',
      'test/conformance/req-15.test.ts',
    ],
  },
  'vault-access': {
    title: 'vault access',
    mutate: ['src/personal/vault/access.ts'],
    tests: [
      'src/personal/vault/access-contract.test.ts',
      'src/personal/vault/access.test.ts',
      'src/personal/consent/guard-service.test.ts',
      'src/personal/consent/guard-wiring.test.ts',
    ],
  },
};

const args = process.argv.slice(2);
const incremental = args.includes('--incremental');
/** `vault` names both vault runs. */
const names = args
  .filter((a) => !a.startsWith('--'))
  .flatMap((a) => (a === 'vault' ? ['vault-erase', 'vault-access'] : [a]));
for (const name of names) {
  if (!(name in MODULES)) {
    console.error(
      `mutation: unknown module "${name}"; choose from ${Object.keys(MODULES).join(', ')}`,
    );
    process.exit(2);
  }
}

// One engine keeps each mutant's run short, unless the module has engine-specific code (the
// vault's erasure); `HEALTHCODE_TEST_DIALECTS=sqlite,postgres` measures every module on both.
const chosenDialects = process.env.HEALTHCODE_TEST_DIALECTS;

/** Counts by Stryker status and the score as Stryker defines it (errors and ignored excluded). */
function tally(results) {
  const count = (status) => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const errors = count('RuntimeError') + count('CompileError');
  // Survivors no test ran against: a test file that failed to import (a static mutant that
  // breaks module loading) or a runner glitch — look at these before writing a test.
  const unrun = results.filter((r) => r.status === 'Survived' && r.testsCompleted === 0).length;
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  return { killed, timeout, survived, unrun, noCoverage, errors, total: results.length, score };
}

const summary = {};
for (const name of names.length > 0 ? names : Object.keys(MODULES)) {
  const mod = MODULES[name];
  const dir = `reports/mutation/${name}`;
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  process.env.HEALTHCODE_MUTATION_TESTS = mod.tests.join(',');
  process.env.HEALTHCODE_TEST_DIALECTS = chosenDialects ?? mod.dialects ?? 'sqlite';
  const stryker = new Stryker({
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // The tests are narrowed by the vitest config, not by Stryker's `testFiles` (see there).
    vitest: { configFile: 'vitest.mutation.config.ts', related: false },
    mutate: mod.mutate,
    coverageAnalysis: 'perTest',
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    // A shared 2-core machine: a slow mutant is not an infinite loop.
    timeoutMS: 30_000,
    timeoutFactor: 3,
    incremental,
    incrementalFile: `${dir}/incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `${dir}/index.html` },
    jsonReporter: { fileName: `${dir}/mutation.json` },
    clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
    thresholds: { high: 90, low: GOAL, break: null },
    tempDirName: '.stryker-tmp',
    ignorePatterns: ['/dist', '/web', '/docs', '/bench', '/data', '/coverage', '/reports'],
    fileLogLevel: 'off',
  });
  const results = await stryker.runMutationTest();
  const minutes = (Date.now() - started) / 60_000;
  summary[name] = { ...tally(results), minutes: Math.round(minutes * 10) / 10 };
  writeFileSync(`${dir}/summary.json`, `${JSON.stringify(summary[name], null, 2)}\n`);
}

console.log('\nmodule        score   killed  survived (unrun)  timeout  no-cov  errors  minutes');
for (const [name, s] of Object.entries(summary)) {
  console.log(
    [
      name.padEnd(12),
      `${s.score.toFixed(1)}%`.padStart(6),
      String(s.killed).padStart(8),
      String(s.survived).padStart(9),
      `(${s.unrun})`.padStart(7),
      String(s.timeout).padStart(8),
      String(s.noCoverage).padStart(7),
      String(s.errors).padStart(7),
      String(s.minutes).padStart(8),
    ].join(' '),
  );
}
const below = Object.entries(summary).filter(([, s]) => s.score < GOAL);
if (below.length > 0) {
  console.error(`mutation: below ${GOAL} %: ${below.map(([name]) => name).join(', ')}`);
  process.exitCode = 1;
}
