// SPDX-License-Identifier: Apache-2.0
/**
 * @module What every trip-card use case shares (internal): the open instance, its vault (for
 * the subscriber subjects, their audit pseudonyms and restrictions), the audit port, the lookup
 * key for blind indexes, bulk-drawn nonces, the cache of unwrapped subscriber keys the itinerary
 * read uses, and the window arithmetic in the instance's zone.
 */
import type { Store } from '../../platform/runtime/store.js';
import type { AuditPort } from '../../platform/runtime/audit-port.js';
import { NoncePool } from '../../kernel/crypto/index.js';
import { DataKeyCache } from './key-cache.js';
import type { TripcardPorts } from './ports.js';
import type { InstanceVault } from '../../personal/vault/index.js';
import { localDayNumber, startOfLocalDay } from '../../kernel/shared/local-day.js';

/** Days of the window before today (DOMAIN.md §2.4: the previous 14 days). */
export const WINDOW_DAYS = 14;
/** Days before today whose start the purge keeps from: the window plus one day of lag. */
export const PURGE_DAYS = WINDOW_DAYS + 1;
/** The purpose trip-card data is processed under (PIPL art. 13(4); consent catalogue). */
export const TRIPCARD_PURPOSE = 'epidemic-control';

export interface TripcardContext {
  readonly store: Store;
  readonly vault: InstanceVault;
  readonly audit: AuditPort;
  readonly lookupKey: Buffer;
  readonly nonces: NoncePool;
  /** Unwrapped `itinerary` keys, validated against the key store on every read. */
  readonly keys: DataKeyCache;
  readonly timeZone: string;
  readonly ports: TripcardPorts;
}

export async function openContext(store: Store, ports: TripcardPorts): Promise<TripcardContext> {
  const vault = await ports.openInstanceVault(store);
  return {
    store,
    ports,
    vault,
    audit: vault.core.audit,
    lookupKey: await store.keyring.instanceKey('lookup'),
    nonces: new NoncePool(store.random),
    keys: new DataKeyCache(store.clock),
    timeZone: store.config.timeZone,
  };
}

/** The window at `now`: from the start of the day 14 days before today, to now. */
export function windowAt(
  now: Date,
  timeZone: string,
): { fromDay: number; from: number; to: number; today: number } {
  const today = localDayNumber(now.getTime(), timeZone);
  const fromDay = today - WINDOW_DAYS;
  return { fromDay, from: startOfLocalDay(fromDay, timeZone), to: now.getTime(), today };
}
