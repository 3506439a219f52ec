// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test and benchmark helpers for the consent capability: a recording AuditPort, an
 * in-memory AES-256-GCM KeyWrapper (node:crypto) standing in for the keyring, and deps built
 * from an open store. Production wiring lives in wiring.ts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AuditEvent, AuditPort } from '../../platform/runtime/audit-port.js';
import type { Clock } from '../../kernel/shared/clock.js';
import type { KeyWrapper } from '../../kernel/shared/key-wrapper.js';
import type { Random } from '../../kernel/shared/random.js';
import type { LedgerDeps } from './ledger.js';

/** An AuditPort that keeps events in memory (and can be told to fail). */
export interface RecordingAudit extends AuditPort {
  readonly events: AuditEvent[];
  failNext: boolean;
}

export function recordingAudit(): RecordingAudit {
  const port: RecordingAudit = {
    events: [],
    failNext: false,
    append(_db, events) {
      if (port.failNext) {
        port.failNext = false;
        return Promise.reject(new Error('audit append failed (test)'));
      }
      port.events.push(...events);
      return Promise.resolve();
    },
  };
  return port;
}

/** A KeyWrapper under one in-memory key; `context` is bound as associated data. */
export function memoryKeyWrapper(key: Buffer = randomBytes(32)): KeyWrapper {
  return {
    wrap(secret, context) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, nonce);
      c.setAAD(Buffer.from(context, 'utf8'));
      return Promise.resolve(Buffer.concat([nonce, c.update(secret), c.final(), c.getAuthTag()]));
    },
    unwrap(wrapped, context) {
      const w = Buffer.from(wrapped);
      const d = createDecipheriv('aes-256-gcm', key, w.subarray(0, 12));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(w.subarray(w.length - 16));
      return Promise.resolve(Buffer.concat([d.update(w.subarray(12, w.length - 16)), d.final()]));
    },
  };
}

/** Ledger deps over a database with test ports. */
export function testLedgerDeps(
  db: Kysely<Database>,
  clock: Clock,
  random: Random,
  overrides: Partial<LedgerDeps> = {},
): LedgerDeps & { audit: RecordingAudit } {
  return {
    db,
    clock,
    random,
    audit: recordingAudit(),
    keys: memoryKeyWrapper(),
    controller: { name: 'Test City Big-Data Centre', contact: 'privacy@test.example' },
    recordsYears: 3,
    ...overrides,
  } as LedgerDeps & { audit: RecordingAudit };
}
