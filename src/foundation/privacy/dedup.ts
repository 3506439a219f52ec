// SPDX-License-Identifier: Apache-2.0
/**
 * @module Cross-holder de-duplication for contribution bounding (issue 9 point 3): before a job's
 * inputs are shared, every pair of input parties runs ECDH-PSI (./psi.ts) on keyed hashes of the
 * real-name identities of the persons who contribute to this query. Holder j learns which of its
 * persons an earlier holder i < j also counts, and drops them; so each person is counted by
 * exactly one holder — the first, in job order, that sees them — and at most c times per query
 * across holders. What leaks is PSI's own output: holder j learns which of its contributing
 * subscribers holder i also counts in this query; holder i learns only j's set size.
 */
import type { Random } from '../../kernel/shared/index.js';
import { systemRandom } from '../../kernel/shared/index.js';
import type { FramedConnection } from './channel.js';
import { PsiError } from './errors.js';
import { MSG } from './model.js';
import { psiItem, runPsiReceiver, runPsiSender } from './psi.js';

/** One person's contribution at a holder: the register identity stays at the holder. */
export interface PersonContribution {
  /** The real-name identity (e.g. ID number); absent when the register does not know them. */
  readonly id?: string;
  /** The cells this person adds 1 to (already bounded to c). */
  readonly cells: readonly number[];
}

/** The distinct identities of contributing persons, in a fixed order, as PSI items. */
function itemsOf(
  persons: readonly PersonContribution[],
  key: Uint8Array,
): { items: Uint8Array[]; ids: string[] } {
  const ids = [...new Set(persons.flatMap((p) => (p.id === undefined ? [] : [p.id])))];
  return { ids, items: ids.map((id) => psiItem(key, id)) };
}

/**
 * The earlier holder's side: sends a fresh per-pair HMAC key (both hash with it; no one else
 * learns it), then runs the PSI sender. Learns only the later holder's set size.
 */
export async function dedupAsSender(
  link: FramedConnection,
  persons: readonly PersonContribution[],
  options: { random?: Random; timeoutMs?: number } = {},
): Promise<{ receiverSize: number }> {
  const random = options.random ?? systemRandom;
  const key = new Uint8Array(random.bytes(32));
  await link.send(MSG.DEDUP_KEY, key);
  const { items } = itemsOf(persons, key);
  key.fill(0);
  const out = await runPsiSender(link, items, options);
  return { receiverSize: out.receiverSize };
}

/** The later holder's side: the set of its identities the earlier holder also counts. */
export async function dedupAsReceiver(
  link: FramedConnection,
  persons: readonly PersonContribution[],
  options: { random?: Random; timeoutMs?: number } = {},
): Promise<Set<string>> {
  const f = await link.next(options.timeoutMs ?? 120_000);
  if (f.type !== MSG.DEDUP_KEY || f.payload.length !== 32) {
    throw new PsiError(`de-duplication with ${link.peer} did not start with a key`);
  }
  const key = new Uint8Array(f.payload);
  f.payload.fill(0);
  const { ids, items } = itemsOf(persons, key);
  key.fill(0);
  const out = await runPsiReceiver(link, items, 'psi', options);
  return new Set((out.intersection ?? []).map((i) => ids[i]));
}

/**
 * Removes the persons in `drop`, and those without a register identity (they cannot be told
 * apart across holders, so keeping them would break the bound), from a holder's histogram.
 * Returns the persons kept and how many were dropped.
 */
export function applyDedup(
  histogram: BigUint64Array,
  persons: readonly PersonContribution[],
  drop: ReadonlySet<string>,
): { kept: PersonContribution[]; dropped: number; unidentified: number } {
  const kept: PersonContribution[] = [];
  let dropped = 0;
  let unidentified = 0;
  for (const p of persons) {
    if (p.id !== undefined && !drop.has(p.id)) {
      kept.push(p);
      continue;
    }
    if (p.id === undefined) {
      unidentified++;
    } else {
      dropped++;
    }
    for (const c of p.cells) {
      if (c < 0 || c >= histogram.length || histogram[c] === 0n) {
        throw new RangeError('a person contributes to a cell the histogram does not hold');
      }
      histogram[c] -= 1n;
    }
  }
  return { kept, dropped, unidentified };
}
