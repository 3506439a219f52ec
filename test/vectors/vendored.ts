// SPDX-License-Identifier: Apache-2.0
/**
 * @module Paths of the public test vectors vendored in test/vectors/testdata/ (its README names
 * the upstream repositories and licences). They ship with the repository, so a missing file means
 * a broken checkout: the test that needs it fails naming the path, it never skips.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const VENDORED_DIR = join(import.meta.dirname, 'testdata');

/** A file or folder under test/vectors/testdata/; throws when it is missing. */
export function vendoredPath(...parts: string[]): string {
  return existingPath(
    join(VENDORED_DIR, ...parts),
    'vendored test data is missing (test/vectors/testdata/ is part of the repository; restore it with git)',
  );
}

/** The dgc-testdata root: `$HEALTHCODE_DCC_TESTDATA` (a full upstream checkout) or the vendored subset. */
export function dccTestDataRoot(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HEALTHCODE_DCC_TESTDATA;
  if (override !== undefined && override !== '') {
    return existingPath(override, 'HEALTHCODE_DCC_TESTDATA names a folder that does not exist');
  }
  return vendoredPath('dcc');
}

function existingPath(path: string, why: string): string {
  if (!existsSync(path)) {
    throw new Error(`${why}: ${path}`);
  }
  return path;
}
