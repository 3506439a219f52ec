// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode party --config FILE`: one party as one process. The config names the party,
 * its role, where it listens, its key and certificate (from `party init`), the pinned peers, and —
 * for an input party — its own data (a carrier's feed and real-name register) and consent source.
 * Paths are relative to the config file. Personal data never appears in the config or on argv.
 *
 * Consent `instance` makes an input party that reads an instance contribute only subscribers whose
 * `statistics` purpose has a basis there (PIPL arts. 13, 14, 29; DOMAIN.md §6 req. 23): each
 * phone goes through the vault's blind index to its subject and the consent guard decides.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Store } from '../../platform/runtime/index.js';
import type { Migrations } from '../../platform/runtime/module.js';
import type { OpenInstanceVault } from '../../personal/vault/index.js';
import type { Clock } from '../../kernel/shared/index.js';
import {
  peerSchema,
  startPartyNode,
  type PartyNode,
  privacyErrors,
} from '../../foundation/privacy/index.js';
import {
  SYNTHETIC_CONSENT,
  buildLocalInput,
  carrierFeed,
  denyListConsent,
  type StatisticsConsentPort,
} from './local.js';
import type { InstanceConsent } from './instance-consent.js';

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
        // The instance's consent ledger through its vault; `data` is its data dir (relative to
        // the config; default the command's --data), the database from --db / HEALTHCODE_DB_URL.
        z.object({ kind: z.literal('instance'), data: z.string().min(1).optional() }).strict(),
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
    throw new privacyErrors.PartyConfigError('the party config is not readable JSON', {
      cause: err,
    });
  }
  const r = partyConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new privacyErrors.PartyConfigError(
      `party config: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`,
    );
  }
  if (r.data.role === 'input' && r.data.data === undefined) {
    throw new privacyErrors.PartyConfigError('party config: an input party needs "data"');
  }
  return { config: r.data, dir: dirname(resolve(file)) };
}

/** Where an input party with consent `instance` finds the instance (the command's globals). */
export interface PartyInstanceOptions {
  /** Default data dir when the config names none (the command's --data). */
  readonly dataDir?: string;
  readonly dbUrl?: string | undefined;
  readonly clock?: Clock;
  /** Every capability's migrations, to open the instance (the composition root's). */
  readonly migrations?: () => Promise<Migrations>;
  /** An instance already open (tests, embedding): used as is and not closed by the party. */
  readonly store?: Store;
  /** The instance vault (the composition root's), for an input party that reads its consent. */
  readonly openInstanceVault?: OpenInstanceVault;
}

/** A consent port and what to do after each job and at the end. */
interface ConsentSource {
  readonly port: StatisticsConsentPort;
  afterJob(): Promise<void>;
  close(): Promise<void>;
}

async function instanceConsent(
  dataDir: string,
  options: PartyInstanceOptions,
): Promise<ConsentSource> {
  const { instanceStatisticsConsent } = await import('./instance-consent.js');
  let store = options.store;
  let owned = false;
  if (store === undefined) {
    if (options.migrations === undefined) {
      throw new TypeError('an input party that opens its instance needs the migrations');
    }
    const { openStore } = await import('../../platform/runtime/index.js');
    store = await openStore({
      dataDir,
      dbUrl: options.dbUrl,
      create: false,
      migrations: await options.migrations(),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    owned = true;
  }
  let ic: InstanceConsent;
  try {
    if (options.openInstanceVault === undefined) {
      throw new TypeError('an input party that reads its instance needs the instance vault');
    }
    ic = await instanceStatisticsConsent(store, options.openInstanceVault);
  } catch (err) {
    if (owned) {
      await store.close();
    }
    throw err;
  }
  const opened = store;
  return {
    port: ic.consent,
    // The lookups and decisions appended audit leaves: sign a checkpoint after each job.
    afterJob: () => ic.finish(),
    async close() {
      if (owned) {
        await opened.close();
      }
    },
  };
}

async function consentFrom(
  config: PartyConfig,
  dir: string,
  options: PartyInstanceOptions,
): Promise<ConsentSource> {
  const c = config.consent;
  if (c === undefined) {
    throw new privacyErrors.PartyConfigError(
      'party config: an input party needs "consent" (the statistics basis of its data)',
    );
  }
  const fixed = (port: StatisticsConsentPort): ConsentSource => ({
    port,
    afterJob: () => Promise.resolve(),
    close: () => Promise.resolve(),
  });
  if (c.kind === 'synthetic-all') {
    return fixed(SYNTHETIC_CONSENT);
  }
  if (c.kind === 'instance') {
    const dataDir = c.data !== undefined ? resolve(dir, c.data) : options.dataDir;
    if (dataDir === undefined && options.store === undefined) {
      throw new privacyErrors.PartyConfigError('party config: consent "instance" needs a data dir');
    }
    return instanceConsent(dataDir ?? '', options);
  }
  const phones = readFileSync(resolve(dir, c.file), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return fixed(denyListConsent(phones));
}

/** Starts the party a config describes. */
export async function startPartyFromConfig(
  file: string,
  log: (m: string) => void,
  instance: PartyInstanceOptions = {},
): Promise<{ node: PartyNode; config: PartyConfig }> {
  const { config, dir } = loadPartyConfig(file);
  const identity = {
    keyPem: readFileSync(resolve(dir, config.key), 'utf8'),
    certPem: readFileSync(resolve(dir, config.cert), 'utf8'),
  };
  let inputProvider;
  let consent: ConsentSource | undefined;
  if (config.role === 'input') {
    const data = config.data!;
    const feed = carrierFeed(
      data.holder,
      resolve(dir, data.events),
      data.subscribers === undefined ? undefined : resolve(dir, data.subscribers),
    );
    const source = await consentFrom(config, dir, instance);
    consent = source;
    inputProvider = async (job: Parameters<typeof buildLocalInput>[0]) => {
      const local = await buildLocalInput(job, feed, source.port);
      await source.afterJob();
      log(
        `${config.name}: job ${job.id}: ${local.stats.persons} persons contribute, ${local.stats.refusedByConsent} subscribers refused by consent`,
      );
      return local;
    };
  }
  let node: PartyNode;
  try {
    node = await startPartyNode({
      name: config.name,
      role: config.role,
      identity,
      peers: config.peers,
      host: config.listen.host,
      port: config.listen.port,
      ...(inputProvider ? { inputProvider } : {}),
      log,
    });
  } catch (err) {
    await consent?.close();
    throw err;
  }
  const started = node;
  return {
    node: {
      port: started.port,
      async close() {
        await started.close();
        await consent?.close();
      },
    },
    config,
  };
}
