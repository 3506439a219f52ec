// SPDX-License-Identifier: Apache-2.0
/**
 * @module Types of the party protocol: roles, pinned peers, the job specification (id, query,
 * parties, deadline, noise) and the frame types on the wire. A job is validated by every party that
 * receives it, since the coordinator is a peer like any other, not an authority over the data.
 */
import { z } from 'zod';
import { PartyConfigError } from './errors.js';

/** Frame types of the party protocol. */
export const MSG = {
  JOB: 1,
  READY: 2,
  HELLO: 3,
  SEED: 4,
  CHUNK: 5,
  END: 6,
  DONE: 7,
  COMPLETE: 8,
  REVEAL: 9,
  RESULT: 10,
  RESULT_END: 11,
  CHECK_CHUNK: 12,
  CHECK: 13,
  CHECK_RESULT: 14,
  FINISH: 15,
  ABORT: 16,
  PSI: 20,
  DEDUP_HELLO: 21,
  DEDUP_KEY: 22,
  DEDUP_DONE: 23,
} as const;
export type MsgType = (typeof MSG)[keyof typeof MSG];

export const PARTY_ROLES = ['input', 'compute', 'coordinator'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

const partyName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
const fingerprint = z.string().regex(/^[0-9a-f]{64}$/);

/** A peer known by its pinned certificate fingerprint. */
export const peerSchema = z
  .object({
    name: partyName,
    role: z.enum(PARTY_ROLES),
    fingerprint,
    host: z.string().min(1).max(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict();
export type PeerEntry = z.infer<typeof peerSchema>;

/** What a job asks for. `query` is opaque to the protocol; the input parties' provider reads it. */
export const jobSpecSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    query: z.unknown(),
    cells: z.number().int().min(1).max(64_000_000),
    inputs: z.array(partyName).min(1).max(64),
    compute: z
      .array(
        z
          .object({
            name: partyName,
            host: z.string().min(1).max(255),
            port: z.number().int().min(1).max(65535),
          })
          .strict(),
      )
      .min(2)
      .max(16),
    chunkCells: z.number().int().min(1).max(1_048_576),
    deadline: z.string().datetime({ offset: true }),
    noise: z.discriminatedUnion('kind', [
      z
        .object({ kind: z.literal('skellam'), lambdaPerParty: z.string().regex(/^\d+(\/\d+)?$/) })
        .strict(),
      z.object({ kind: z.literal('none') }).strict(),
    ]),
    contributionBound: z.number().int().min(1).max(100_000),
    /**
     * Cross-holder de-duplication by ECDH-PSI before sharing: every input party, listed here in
     * the job's input order with its address, keeps a person only if no earlier holder has them.
     */
    dedup: z
      .object({
        holders: z
          .array(
            z
              .object({
                name: partyName,
                host: z.string().min(1).max(255),
                port: z.number().int().min(1).max(65535),
              })
              .strict(),
          )
          .min(2)
          .max(64),
      })
      .strict()
      .optional(),
  })
  .strict();
export type JobSpec = z.infer<typeof jobSpecSchema>;

/** Validates a job spec; a {@link PartyConfigError} names the first problem. */
export function parseJobSpec(raw: unknown): JobSpec {
  const r = jobSpecSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new PartyConfigError(
      `job spec: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`,
    );
  }
  if (
    r.data.dedup !== undefined &&
    r.data.dedup.holders.map((h) => h.name).join(',') !== r.data.inputs.join(',')
  ) {
    throw new PartyConfigError('job spec: dedup.holders must list the inputs in order');
  }
  const names = [...r.data.inputs, ...r.data.compute.map((c) => c.name)];
  if (new Set(names).size !== names.length) {
    throw new PartyConfigError('job spec: a party is listed twice');
  }
  return r.data;
}

/** Remaining milliseconds before a job's deadline (at least 1). */
export function msUntil(deadline: string, now: Date): number {
  return Math.max(1, new Date(deadline).getTime() - now.getTime());
}

/**
 * The compute party (index into `spec.compute`) that receives input `input`'s full masked vector;
 * the others get PRG seeds. Spread round-robin so the compute parties receive in parallel.
 */
export function fullShareHolder(spec: Pick<JobSpec, 'inputs' | 'compute'>, input: string): number {
  const i = spec.inputs.indexOf(input);
  if (i < 0) {
    throw new RangeError('"input" is not an input of the job');
  }
  return i % spec.compute.length;
}
