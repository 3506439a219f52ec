// SPDX-License-Identifier: Apache-2.0
/**
 * @module The DIALECTS loop runs both engines unless `HEALTHCODE_TEST_DIALECTS` narrows it (the
 * mutation runs do); a misspelt engine must fail rather than quietly run nothing.
 */
import { describe, expect, it } from 'vitest';
import { dialectsFromEnv } from './dialects.js';

describe('dialectsFromEnv', () => {
  it('runs both engines when the variable is unset or empty', () => {
    expect(dialectsFromEnv(undefined)).toEqual(['sqlite', 'postgres']);
    expect(dialectsFromEnv('  ')).toEqual(['sqlite', 'postgres']);
  });

  it('narrows the loop to the engines named, in the usual order', () => {
    expect(dialectsFromEnv('sqlite')).toEqual(['sqlite']);
    expect(dialectsFromEnv('postgres')).toEqual(['postgres']);
    expect(dialectsFromEnv('postgres, sqlite')).toEqual(['sqlite', 'postgres']);
  });

  it('refuses an engine it does not know', () => {
    expect(() => dialectsFromEnv('sqlite,mysql')).toThrow(/unknown engine "mysql"/);
    expect(() => dialectsFromEnv('sqlite,')).toThrow(/unknown engine ""/);
  });
});
