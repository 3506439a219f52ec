// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vitest config of `npm run mutation` (scripts/mutation.js): the normal config with
 * its test files narrowed to the module's own, named in `HEALTHCODE_MUTATION_TESTS`. Stryker's
 * `testFiles` would do the same, but with it StrykerJS 9.6.1 activates module-level ("static")
 * mutants only after the module has loaded, so they all survive (stryker-js issue #6144).
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const tests = (process.env.HEALTHCODE_MUTATION_TESTS ?? '')
  .split(',')
  .map((file) => file.trim())
  .filter((file) => file.length > 0);
if (tests.length === 0) {
  throw new Error('HEALTHCODE_MUTATION_TESTS names no test file (run it through npm run mutation)');
}

export default defineConfig({ ...base, test: { ...base.test, include: tests } });
