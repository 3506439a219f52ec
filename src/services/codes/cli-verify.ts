// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the verifiers (`code verify`, `dcc verify`), which never open a data
 * dir, and the stdin readers the issuing commands share. Inputs that carry personal data (names,
 * colour inputs) come from stdin only.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../../kernel/shared/index.js';
import type { CommandEnv, CommandOutcome } from '../../platform/runtime/cli-kit.js';
import { verifyDcc, DCC_STAGES, type DccResult } from './dcc.js';
import { dccSignerFromCertificate, type DccSigner } from './dcc-signer.js';
import { instantFromDate, parseLenientInstant, type Instant } from './instant.js';
import type { ColourInputs, Verdict } from './model.js';
import { decodeQrPng } from './qr.js';
import { EMPTY_REVOCATIONS } from './revocation.js';
import { parseTrustList, type TrustList } from './trust-list.js';
import { verifyToken } from './verify.js';

/** One command's result (the kit prints it). */
export type Outcome = CommandOutcome;

/** Reads all of stdin, dropping one final line break only: Base45 text may end in a space. */
export async function readStdinRaw(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024 * 1024) {
      throw new UsageError('stdin is larger than 16 MiB');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `--at`: ISO 8601 with any fraction, no offset = UTC; else the command's clock. */
export function validationTime(at: string | undefined, env: CommandEnv): Instant {
  if (at === undefined) {
    return instantFromDate(env.clock.now());
  }
  const i = parseLenientInstant(at);
  if (i === undefined) {
    throw new UsageError('--at must be an ISO 8601 time, e.g. 2021-05-03T18:00:00Z');
  }
  return i;
}

function readCertificate(value: string): DccSigner {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  try {
    return dccSignerFromCertificate(text);
  } catch (err) {
    throw new UsageError('--cert is not a readable X.509 certificate (base64 DER or PEM)', {
      cause: err,
    });
  }
}

/** `healthcode dcc verify`. */
export async function dccVerify(
  input: string,
  opts: { cert: string; at?: string },
  env: CommandEnv,
): Promise<Outcome> {
  const text = input === '-' ? await readStdinRaw() : input;
  const signer = readCertificate(opts.cert);
  const at = validationTime(opts.at, env);
  const r: DccResult = verifyDcc(text, { signers: signer, at });
  const stages = DCC_STAGES.map((s) => `${s}=${String(r.stages[s])}`).join(' ');
  return {
    json: { valid: r.valid, reason: r.reason, stages: r.stages, payload: r.payload },
    text: `${r.valid ? 'VALID' : 'INVALID'} (${r.reason}) ${stages}`,
    exitCode: r.valid ? 0 : 1,
  };
}

/** `healthcode code verify`. */
export async function codeVerify(
  input: string | undefined,
  opts: { png?: string; trust?: string; anchor?: string[]; at?: string },
  env: CommandEnv,
): Promise<Outcome> {
  let text: string;
  if (opts.png !== undefined) {
    if (input !== undefined) {
      throw new UsageError('give either a token or --png FILE, not both');
    }
    text = await decodeQrPng(readFileSync(opts.png));
  } else if (input === undefined) {
    throw new UsageError('give a token, - for stdin, or --png FILE');
  } else {
    text = input === '-' ? await readStdinRaw() : input;
  }
  const warnings: string[] = [];
  let trustList: TrustList = { anchorKid: '', issuedAt: 0, expiresAt: 0, keys: new Map() };
  let revocations = EMPTY_REVOCATIONS;
  if (opts.trust !== undefined) {
    const parsed = parseTrustList(readFileSync(opts.trust, 'utf8'), {
      ...(opts.anchor && opts.anchor.length > 0 ? { anchors: opts.anchor } : {}),
    });
    trustList = parsed.trustList;
    revocations = parsed.revocations;
  } else {
    warnings.push('no --trust FILE: no issuer key is trusted, so no token can verify');
  }
  const at = validationTime(opts.at, env);
  const v: Verdict = verifyToken(text, { trustList, revocations, at });
  const line = v.ok
    ? `VALID ${v.colour} ${v.maskedName} ${v.validFrom} – ${v.validUntil}`
    : `INVALID (${v.reason})${v.validUntil ? ` window ${v.validFrom} – ${v.validUntil}` : ''}`;
  return { json: v, text: line, exitCode: v.ok ? 0 : 1, warnings };
}

const iso = z.string().datetime({ offset: true });
const inputsSchema = z
  .object({
    name: z.string().min(1).max(100),
    inputs: z
      .object({
        tests: z
          .array(
            z.object({
              kind: z.enum(['nucleic-acid', 'antigen']),
              result: z.enum(['negative', 'positive', 'invalid']),
              sampledAt: iso,
              resultAt: iso,
            }),
          )
          .max(1000)
          .default([]),
        declarations: z
          .array(
            z.object({
              at: iso,
              temperatureC: z.number().min(30).max(45).optional(),
              symptoms: z.array(z.string().max(40)).max(20).optional(),
            }),
          )
          .max(1000)
          .default([]),
        itinerary: z
          .array(z.object({ region: z.string().regex(/^\d{6}$/), from: iso, to: iso }))
          .max(1000)
          .default([]),
        riskAreas: z
          .array(
            z.object({
              region: z.string().regex(/^\d{6}$/),
              level: z.enum(['medium', 'high']),
              from: iso,
              to: iso.nullable(),
            }),
          )
          .max(100_000)
          .default([]),
        orders: z
          .array(
            z.object({
              kind: z.enum(['quarantine', 'home-observation', 'lifted']),
              at: iso,
              until: iso.nullable().optional(),
            }),
          )
          .max(100)
          .default([]),
      })
      .strict(),
  })
  .strict();

/** Parses `{ name, inputs }` from stdin for `code issue --stdin`. */
export function parseIssueInput(text: string): { name: string; inputs: ColourInputs } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError('stdin must be JSON: { "name": …, "inputs": { tests, declarations, … } }');
  }
  const parsed = inputsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The path names a field, never its (personal) value.
    throw new UsageError(
      `stdin: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
