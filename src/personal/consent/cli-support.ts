// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the consent and rights command implementations share: opening the instance for
 * one command, reading a JSON document from a file or stdin, and one outcome shape (one JSON
 * document or text, and an exit code).
 */
import { readFileSync } from 'node:fs';
import { readStdin, type CommandOutcome } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/errors.js';

/** One command's result (the kit prints it). */
export type Outcome = CommandOutcome;

/** An exit-0 outcome (the kit's own). */
export { ok } from '../../platform/runtime/cli-kit.js';

/** Opens the instance for one command (shared with every CLI capability). */
export { withStore } from '../../platform/runtime/cli-kit.js';

/** Reads a JSON document from FILE, or stdin for `-`. */
export async function readJsonDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read ${file === '-' ? 'stdin' : file}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`${file === '-' ? 'stdin' : file} is not valid JSON`, { cause });
  }
}

/** Splits `a,b , c` into trimmed, non-empty items. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}
