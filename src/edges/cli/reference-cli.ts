// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of `healthcode id check` and `healthcode region` (issue 2 item 8).
 * Both are pure look-ups: they never open or create a data dir. The ID number is never printed,
 * only its masked form (DOMAIN.md §6 req. 7).
 */
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  EXIT_USAGE,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import { checkIdNumber, type IdCheckResult } from '../../kernel/domain/id-number.js';
import {
  assertDivisionCodeFormat,
  lookupRegion,
  normaliseRegion,
  REGION_DATASET,
  type Region,
} from '../../kernel/domain/regions.js';
import { SEX_LABELS } from '../../kernel/domain/sex.js';

/** An outcome whose JSON document has a known shape. */
type Outcome<T> = CommandOutcome & { readonly json: T };

/** `id check`: exit 0 when valid, 1 when not. */
export function idCheck(idText: string, now: Date): Outcome<IdCheckResult> {
  const r = checkIdNumber(idText, now);
  const lines = [`valid: ${r.valid ? 'yes' : 'no'}`];
  if (r.reasons.length > 0) {
    lines.push(`failed rules: ${r.reasons.join(', ')}`);
  }
  if (r.masked !== null) {
    lines.push(`masked: ${r.masked}`);
  }
  if (r.birthDate !== null) {
    lines.push(`birth date: ${r.birthDate}`);
  }
  if (r.sex !== null) {
    lines.push(`sex: ${r.sex} (${SEX_LABELS[r.sex].en})`);
  }
  if (r.region !== null) {
    const name = r.region.name === undefined ? '' : ` ${r.region.name}`;
    lines.push(`region: ${r.region.code}${name} (${r.region.known ? 'known' : 'not in dataset'})`);
  }
  if (r.province !== null) {
    lines.push(`province: ${r.province.code} ${r.province.name}`);
  }
  return { exitCode: r.valid ? EXIT_OK : EXIT_NEGATIVE, json: r, text: lines.join('\n') };
}

export interface RegionInfo {
  readonly code: string;
  readonly known: boolean;
  readonly name: string | null;
  readonly level: Region['level'] | null;
  readonly provinceCode: string | null;
  readonly prefectureCode: string | null;
  /** The prefecture-level place the code normalises to (null when unknown or a grouping code). */
  readonly normalised: string | null;
  readonly dataset: typeof REGION_DATASET;
}

/** `region <code>`: exit 0 when listed, 1 when unknown, 2 when malformed (thrown). */
export function regionInfo(code: string): Outcome<RegionInfo> {
  assertDivisionCodeFormat(code);
  const r = lookupRegion(code);
  let normalised: string | null = null;
  if (r !== undefined) {
    try {
      normalised = normaliseRegion(code);
    } catch {
      normalised = null; // a grouping code such as 429000 names no single place
    }
  }
  const json: RegionInfo = {
    code,
    known: r !== undefined,
    name: r?.name ?? null,
    level: r?.level ?? null,
    provinceCode: r?.provinceCode ?? null,
    prefectureCode: r?.prefectureCode ?? null,
    normalised,
    dataset: REGION_DATASET,
  };
  const text =
    r === undefined
      ? `${code}: not listed in ${REGION_DATASET.name}@${REGION_DATASET.version}`
      : [
          `${code} ${r.name} (${r.level})`,
          `province: ${r.provinceCode}`,
          `prefecture-level place: ${normalised ?? '(none: groups several places)'}`,
          `dataset: ${REGION_DATASET.name}@${REGION_DATASET.version}`,
        ].join('\n');
  return { exitCode: r === undefined ? EXIT_NEGATIVE : EXIT_OK, json, text };
}

export { EXIT_USAGE };
