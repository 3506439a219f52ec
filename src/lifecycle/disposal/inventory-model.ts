// SPDX-License-Identifier: Apache-2.0
/**
 * @module The data inventory's shape (DOMAIN.md req. 14; the 2022 guideline's "data inventory"):
 * every store of personal data — each table and column with its category, group, sensitivity and
 * legal basis; the key store; backups; logs; exports; the outbox; analytics inputs; declared
 * external copies — with its retention and how disposal reaches it. A store nobody classified is
 * reported as such, and verification refuses to call a disposal complete while one exists.
 */
import type { DataCategory, DataGroup } from '../../kernel/domain/index.js';
import type { StoreMethod } from './model.js';

export const STORE_KINDS = [
  'table',
  'key-store',
  'engine-file',
  'backup',
  'log',
  'export',
  'outbox',
  'analytics-input',
  'report',
  'config',
  'temp',
  'external',
] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** One column of a table and what it holds. */
export interface ColumnSpec {
  readonly name: string;
  /** The data category the column carries, or null for non-category data (ids, times, hashes). */
  readonly category: DataCategory | null;
  /** Personal data in any form: plaintext, ciphertext, pseudonymous ids. */
  readonly personal: boolean;
  /** AES-256-GCM ciphertext under a subject's data key (crypto-erasure reaches it). */
  readonly encrypted: boolean;
  readonly note?: string;
}

/** A store as the code that writes it declares it (the catalogue's entries). */
export interface StoreSpec {
  readonly kind: StoreKind;
  /** Capability that writes it. */
  readonly owner: string;
  readonly personal: boolean;
  readonly description: string;
  readonly categories: readonly DataCategory[];
  readonly columns?: readonly ColumnSpec[];
  /** In words: how long it is kept and why. */
  readonly retention: string;
  /** How disposal reaches it when its data is in scope. */
  readonly disposal: StoreMethod;
  /** For non-personal stores: why they hold no personal data. */
  readonly reason?: string;
  /**
   * The services this store exists for alone: when every one of them is retired the store is
   * deleted whole (PIPL art. 47(1)(2): the service has stopped), whatever other services keep of
   * the same categories elsewhere.
   */
  readonly services?: readonly string[];
  /** The vault key scope (data group) its rows are sealed under, shared with the vault's rows. */
  readonly keyScope?: DataGroup;
  /**
   * Vault categories the store's writer records on the subjects it creates, only so that the
   * vault shows them (the trip card's subscriber and its phone): a subject of the store that holds
   * nothing else is erased with it.
   */
  readonly registration?: readonly DataCategory[];
}

/** A category as the inventory shows it, with the purposes (and their bases) that process it. */
export interface InventoryCategory {
  readonly category: DataCategory;
  readonly group: DataGroup;
  readonly sensitive: boolean;
  readonly legalBases: readonly {
    readonly purpose: string;
    readonly basis: string;
    readonly validTo: string | null;
  }[];
}

/** One store in the inventory. */
export interface InventoryStore {
  /** Stable id: `db:<table>`, `keys:<table>`, `file:<kind>`, `backups`, `external:<id>`. */
  readonly id: string;
  readonly kind: StoreKind;
  readonly location: string;
  readonly owner: string;
  readonly personal: boolean;
  readonly classified: boolean;
  readonly description: string;
  readonly categories: readonly InventoryCategory[];
  readonly columns?: readonly ColumnSpec[];
  readonly retention: string;
  readonly disposal: StoreMethod;
  readonly reason?: string;
  /** Rows (tables) or files (file stores); null when not countable here. */
  readonly records: number | null;
  /** Files a residual scan must read for this store (absolute paths). */
  readonly files?: readonly string[];
}

export interface Inventory {
  readonly kind: 'healthcode/data-inventory';
  readonly generatedAt: string;
  readonly instance: {
    readonly origin: string;
    readonly engine: string;
    readonly synthetic: boolean;
  };
  readonly responsibleParty: { readonly name: string; readonly contact: string };
  readonly stores: readonly InventoryStore[];
  /** Ids of stores no code declared: each is a gap the inventory must close. */
  readonly unclassified: readonly string[];
}

/** Personal stores whose disposal a plan must state. */
export function personalStoreIds(inv: Inventory): Set<string> {
  return new Set(inv.stores.filter((s) => s.personal).map((s) => s.id));
}

/** Every file a residual scan of this inventory reads. */
export function inventoryFiles(inv: Inventory): string[] {
  return [...new Set(inv.stores.flatMap((s) => s.files ?? []))].sort();
}
