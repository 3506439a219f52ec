// SPDX-License-Identifier: Apache-2.0
/**
 * @module Instance settings in `DIR/config.json`, validated once at start-up (STYLE.md §19).
 * Every field has a documented default (docs/configuration.md).
 */
import { z } from 'zod';
import { ConfigError, StorageRegionError } from './errors.js';

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai');

export const configSchema = z
  .object({
    /** Schema version of this file. */
    version: z.literal(1).default(1),
    /** Log origin and token issuer name, e.g. `healthcode.example/shanghai`. */
    origin: z.string().min(3).max(200).default('healthcode.local/instance'),
    /** Dates (validity, deadlines, windows) are computed in this zone. */
    timeZone: timeZone.default('Asia/Shanghai'),
    /** `government` deployments must keep personal data in China. */
    deployment: z.enum(['government', 'enterprise']).default('government'),
    /** ISO 3166 alpha-2 country where the data is stored. */
    storageRegion: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default('CN'),
    /** The responsible party named in notices, plans and certificates. */
    responsibleParty: z
      .object({ name: z.string().min(1).max(200), contact: z.string().min(1).max(200) })
      .default({
        name: 'Unnamed operator (set responsibleParty in config.json)',
        contact: 'unset',
      }),
    /** How many distinct operators must approve a disposal plan. */
    approvalsRequired: z.number().int().min(1).max(5).default(1),
    retention: z
      .object({
        /** Security/access-log details are kept this many months (CSL art. 21: at least 6). */
        securityLogMonths: z.number().int().min(6).max(120).default(6),
        /** Certificates, consent receipts and PIA records are kept this many years (PIPL art. 56: ≥ 3). */
        recordsYears: z.number().int().min(3).max(30).default(3),
        /** KEK rotation period in days; erased keys age out of key backups within one period. */
        keyRotationDays: z.number().int().min(1).max(365).default(30),
        /** Trip-card window in days (DOMAIN.md req. 21). */
        tripWindowDays: z.number().int().min(1).max(60).default(14),
      })
      .default({ securityLogMonths: 6, recordsYears: 3, keyRotationDays: 30, tripWindowDays: 14 }),
    /** True for a synthetic demo instance; shown on every page and report. */
    synthetic: z.boolean().default(false),
    /**
     * Analytics over HTTP: `parties` names a job file (relative to the data dir; coordinator key
     * and certificate from `healthcode party init`, the pinned party endpoints) whose party
     * processes `POST /api/analyst/queries` drives. Absent: parties run in the server process
     * over `DIR-carrier-feeds`.
     */
    analytics: z
      .object({ parties: z.string().min(1).max(500).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Parses and checks a config document. */
export function parseConfig(raw: unknown): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `config.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Refuses a government deployment that stores data outside China (DOMAIN.md req. 26). */
export function assertStorageRegion(config: Config): void {
  if (config.deployment === 'government' && config.storageRegion !== 'CN') {
    throw new StorageRegionError(
      `a government deployment must store personal data in China (PIPL art. 36); storageRegion is ${config.storageRegion}`,
    );
  }
}

/** The defaults, as written into a new data dir. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return parseConfig(overrides);
}
