// SPDX-License-Identifier: Apache-2.0
/**
 * @module Reading and writing plan files: JSON or YAML, chosen by the file's extension, meant to
 * be read and edited by people; written atomically (temp file + rename) so a crash never leaves
 * half a plan. The content hash covers everything except the approvals, so signing a plan in
 * place does not change what the next operator signs.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { UsageError } from '../../kernel/shared/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { PlanInvalidError } from './errors.js';
import type { PlanDoc } from './model.js';
import { parsePlanDoc } from './plan-schema.js';
import { writeFileAtomic } from '../../kernel/shared/files.js';

export type PlanFormat = 'json' | 'yaml';

/** The format a path asks for; anything but .json/.yaml/.yml is a usage error. */
export function planFormat(path: string): PlanFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    return 'json';
  }
  if (ext === '.yaml' || ext === '.yml') {
    return 'yaml';
  }
  throw new UsageError('a plan file ends in .json, .yaml or .yml');
}

/** SHA-256 (hex) of the canonical plan without its approvals. */
export function planHash(plan: PlanDoc): string {
  const { approvals: _approvals, ...content } = plan;
  return sha256Hex(canonicalJson(content));
}

/** Parses plan text in the given format. */
export function parsePlanText(text: string, format: PlanFormat): PlanDoc {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: false });
  } catch (cause) {
    throw new PlanInvalidError(`plan: not valid ${format.toUpperCase()}`, { cause });
  }
  return parsePlanDoc(raw);
}

/** Renders a plan in the given format, with a comment header in YAML for the reviewer. */
export function renderPlanText(plan: PlanDoc, format: PlanFormat): string {
  // Drop undefined members so both formats carry exactly what the hash covers.
  const data = JSON.parse(JSON.stringify(plan)) as unknown;
  if (format === 'json') {
    return JSON.stringify(data, null, 2) + '\n';
  }
  const header =
    '# healthcode disposal plan (PIPL art. 47). Review with `healthcode disposal review FILE`.\n' +
    '# Actions: delete (default) | anonymise (k-anonymous aggregates only) | retain (named exemption).\n' +
    '# Any edit changes the content hash and voids earlier approvals.\n';
  return header + stringifyYaml(data, { lineWidth: 100 });
}

/** Reads and shape-checks a plan file. */
export function readPlanFile(path: string): PlanDoc {
  const format = planFormat(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read the plan file ${basename(path)}`, { cause });
  }
  return parsePlanText(text, format);
}

/** Writes a plan file atomically in the format its extension names. */
export function writePlanFile(path: string, plan: PlanDoc): void {
  const text = renderPlanText(plan, planFormat(path));
  writeFileAtomic(path, text, 0o644);
}
