// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode party --config FILE`: one party as one process. The config names the party,
 * its role, where it listens, its key and certificate (from `party init`), the pinned peers, and —
 * for an input party — its own data (a carrier's feed and real-name register) and consent source.
 * Paths are relative to the config file. Personal data never appears in the config or on argv.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { PartyConfigError, peerSchema, startPartyNode, type PartyNode } from '../privacy/index.js';
import {
  SYNTHETIC_CONSENT,
  buildLocalInput,
  carrierFeed,
  denyListConsent,
  type StatisticsConsentPort,
} from './local.js';

export const partyConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    role: z.enum(['input', 'compute']),
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(0),
      })
      .strict(),
    key: z.string().min(1),
    cert: z.string().min(1),
    peers: z.array(peerSchema).min(1),
    data: z
      .object({
        holder: z.string().min(1).max(64),
        events: z.string().min(1),
        subscribers: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    consent: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('synthetic-all') }).strict(),
        z.object({ kind: z.literal('deny-list'), file: z.string().min(1) }).strict(),
      ])
      .optional(),
  })
  .strict();
export type PartyConfig = z.infer<typeof partyConfigSchema>;

/** Reads and validates a party config file. */
export function loadPartyConfig(file: string): { config: PartyConfig; dir: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PartyConfigError('the party config is not readable JSON', { cause: err });
  }
  const r = partyConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new PartyConfigError(
      `party config: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`,
    );
  }
  if (r.data.role === 'input' && r.data.data === undefined) {
    throw new PartyConfigError('party config: an input party needs "data"');
  }
  return { config: r.data, dir: dirname(resolve(file)) };
}

function consentFrom(config: PartyConfig, dir: string): StatisticsConsentPort {
  const c = config.consent;
  if (c === undefined) {
    throw new PartyConfigError(
      'party config: an input party needs "consent" (the statistics basis of its data)',
    );
  }
  if (c.kind === 'synthetic-all') {
    return SYNTHETIC_CONSENT;
  }
  const phones = readFileSync(resolve(dir, c.file), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return denyListConsent(phones);
}

/** Starts the party a config describes. */
export async function startPartyFromConfig(
  file: string,
  log: (m: string) => void,
): Promise<{ node: PartyNode; config: PartyConfig }> {
  const { config, dir } = loadPartyConfig(file);
  const identity = {
    keyPem: readFileSync(resolve(dir, config.key), 'utf8'),
    certPem: readFileSync(resolve(dir, config.cert), 'utf8'),
  };
  let inputProvider;
  if (config.role === 'input') {
    const data = config.data!;
    const feed = carrierFeed(
      data.holder,
      resolve(dir, data.events),
      data.subscribers === undefined ? undefined : resolve(dir, data.subscribers),
    );
    const consent = consentFrom(config, dir);
    inputProvider = async (job: Parameters<typeof buildLocalInput>[0]) => {
      const local = await buildLocalInput(job, feed, consent);
      log(
        `${config.name}: job ${job.id}: ${local.stats.persons} persons contribute, ${local.stats.refusedByConsent} subscribers refused by consent`,
      );
      return local;
    };
  }
  const node = await startPartyNode({
    name: config.name,
    role: config.role,
    identity,
    peers: config.peers,
    host: config.listen.host,
    port: config.listen.port,
    ...(inputProvider ? { inputProvider } : {}),
    log,
  });
  return { node, config };
}
