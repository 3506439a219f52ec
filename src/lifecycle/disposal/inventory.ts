// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal inventory`: builds the data inventory (DOMAIN.md req. 14) from what is really
 * there — every table in the database (both engines, the key store included), every file under
 * the data dir, the declared recipients — classified by the catalogue. Whatever nobody declared
 * is listed as unclassified, conservatively as personal.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sql } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import { categoryInfo, type DataCategory } from '../../kernel/domain/index.js';
import { FILE_KINDS, KEY_TABLES, TABLES } from './catalogue.js';
import type {
  ColumnSpec,
  Inventory,
  InventoryCategory,
  InventoryStore,
  StoreSpec,
} from './inventory-model.js';
import type { RecipientRow } from './recipients.js';
import type { CatalogueView } from './scope.js';

const KEY_SCHEMA = 'healthcode_keys';
const KEY_FILE = join('keys', 'keystore.sqlite');

interface TableRef {
  readonly schema: 'data' | 'keys';
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: number;
}

async function sqliteKeyTables(store: Store): Promise<TableRef[]> {
  const file = join(store.paths.root, KEY_FILE);
  if (!existsSync(file)) {
    return [];
  }
  // The native SQLite driver loads only when a SQLite file is read (never on PostgreSQL).
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const names = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as { name: string }[];
    return names.map(({ name }) => ({
      schema: 'keys' as const,
      name,
      columns: (
        db.prepare(`select name from pragma_table_info(?)`).all(name) as { name: string }[]
      ).map((c) => c.name),
      rows: (
        db.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number }
      ).n,
    }));
  } finally {
    db.close();
  }
}

/** Every table in the database, with its columns and row count. */
export async function listTables(store: Store): Promise<TableRef[]> {
  const db = store.db.kysely;
  const out: TableRef[] = [];
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  for (const t of tables) {
    if (t.isView) {
      continue;
    }
    const schema = t.schema === KEY_SCHEMA ? 'keys' : 'data';
    if (
      schema === 'data' &&
      t.schema !== undefined &&
      t.schema !== 'public' &&
      t.schema !== 'main'
    ) {
      continue; // another capability's schema would be listed by its own name below
    }
    const ref =
      t.schema !== undefined && t.schema !== 'main'
        ? sql.table(`${t.schema}.${t.name}`)
        : sql.table(t.name);
    const res = await sql<{ n: number | string }>`select count(*) as n from ${ref}`.execute(db);
    out.push({
      schema,
      name: t.name,
      columns: t.columns.map((c) => c.name),
      rows: Number(res.rows[0]?.n ?? 0),
    });
  }
  if (store.db.dialect === 'sqlite' && !out.some((t) => t.schema === 'keys')) {
    out.push(...(await sqliteKeyTables(store)));
  }
  return out.sort((a, b) => (a.schema + a.name < b.schema + b.name ? -1 : 1));
}

/** Every file under the data dir, relative with `/` separators. */
export function listDataFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const st = statSync(full, { throwIfNoEntry: false });
      if (st?.isDirectory()) {
        walk(full);
      } else if (st?.isFile()) {
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  if (existsSync(root)) {
    walk(root);
  }
  return out.sort();
}

function legalBases(
  cat: CatalogueView | undefined,
  c: DataCategory,
): InventoryCategory['legalBases'] {
  return (cat?.purposes ?? [])
    .filter((p) => p.categories.includes(c))
    .map((p) => ({
      purpose: p.id,
      basis: `PIPL art. ${p.legalBasis}`,
      validTo: p.validTo?.toISOString() ?? null,
    }));
}

function categories(
  cat: CatalogueView | undefined,
  list: readonly DataCategory[],
): InventoryCategory[] {
  return list
    .map((c) => ({ category: c, ...categoryInfo(c), legalBases: legalBases(cat, c) }))
    .map(({ category, group, sensitive, legalBases: lb }) => ({
      category,
      group,
      sensitive,
      legalBases: lb,
    }));
}

const UNCLASSIFIED: Omit<StoreSpec, 'kind'> = {
  owner: 'unknown',
  personal: true,
  description: 'not declared in the disposal catalogue (src/lifecycle/disposal/catalogue.ts)',
  categories: [],
  retention: 'unknown',
  disposal: 'physical-deletion',
};

function columnsOf(spec: StoreSpec | undefined, names: readonly string[]): ColumnSpec[] {
  return names.map(
    (name) =>
      spec?.columns?.find((c) => c.name === name) ?? {
        name,
        category: null,
        personal: false,
        encrypted: false,
      },
  );
}

export interface InventoryInput {
  readonly store: Store;
  readonly catalogue?: CatalogueView | undefined;
  readonly recipients: readonly RecipientRow[];
}

/** Builds the inventory of one instance. */
export async function buildInventory(input: InventoryInput): Promise<Inventory> {
  const { store, catalogue } = input;
  const stores: InventoryStore[] = [];
  for (const t of await listTables(store)) {
    const spec = t.schema === 'keys' ? KEY_TABLES[t.name] : TABLES[t.name];
    const id = `${t.schema === 'keys' ? 'keys' : 'db'}:${t.name}`;
    const s = spec ?? { kind: t.schema === 'keys' ? 'key-store' : 'table', ...UNCLASSIFIED };
    stores.push({
      id,
      kind: s.kind,
      location: t.schema === 'keys' ? `${KEY_SCHEMA}.${t.name}` : t.name,
      owner: s.owner,
      personal: s.personal,
      classified: spec !== undefined,
      description: s.description,
      categories: categories(catalogue, s.categories),
      columns: columnsOf(spec, t.columns),
      retention: s.retention,
      disposal: s.disposal,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      records: t.rows,
    });
  }
  const byKind = new Map<string, { spec: StoreSpec | undefined; files: string[] }>();
  for (const rel of listDataFiles(store.paths.root)) {
    const kind = FILE_KINDS.find((k) => k.match.test(rel));
    const id = kind?.id ?? `file:unclassified:${rel}`;
    const entry = byKind.get(id) ?? { spec: kind?.spec, files: [] };
    entry.files.push(join(store.paths.root, rel));
    byKind.set(id, entry);
  }
  for (const [id, { spec, files }] of byKind) {
    const s = spec ?? { kind: 'temp' as const, ...UNCLASSIFIED };
    stores.push({
      id,
      kind: s.kind,
      location: id === 'file:database' ? store.paths.db : store.paths.root,
      owner: s.owner,
      personal: s.personal,
      classified: spec !== undefined,
      description: s.description,
      categories: categories(catalogue, s.categories),
      retention: s.retention,
      disposal: s.disposal,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      records: files.length,
      files,
    });
  }
  for (const r of input.recipients) {
    stores.push({
      id: `external:${r.id}`,
      kind: 'external',
      location: r.contact,
      owner: r.name,
      personal: true,
      classified: true,
      description: `${r.kind === 'processor' ? 'entrusted processor (PIPL art. 21)' : 'third-party recipient (PIPL art. 23)'}: ${r.name}`,
      categories: categories(catalogue, r.categories),
      retention: 'until the processor or recipient confirms deletion',
      disposal: 'deletion-notice',
      records: null,
    });
  }
  // Recipients a purpose declares (PIPL art. 23) but nobody registered for notices yet.
  const registered = new Set(input.recipients.flatMap((r) => [r.id, r.name]));
  const declared = new Map<string, { purposes: string[]; categories: Set<DataCategory> }>();
  for (const p of catalogue?.purposes ?? []) {
    for (const name of (p.recipients ?? []).filter((n) => !registered.has(n))) {
      const e = declared.get(name) ?? { purposes: [], categories: new Set<DataCategory>() };
      e.purposes.push(p.id);
      p.categories.forEach((c) => e.categories.add(c));
      declared.set(name, e);
    }
  }
  for (const [name, e] of declared) {
    stores.push({
      id: `external:declared:${name}`,
      kind: 'external',
      location: 'unknown: register it with `healthcode disposal recipient add`',
      owner: name,
      personal: true,
      classified: true,
      description: `recipient declared by purpose(s) ${e.purposes.join(', ')} (PIPL art. 23); not registered for deletion notices`,
      categories: categories(catalogue, [...e.categories]),
      retention: 'until the recipient confirms deletion',
      disposal: 'deletion-notice',
      records: null,
    });
  }
  stores.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    kind: 'healthcode/data-inventory',
    generatedAt: store.clock.now().toISOString(),
    instance: {
      origin: store.config.origin,
      engine: store.db.dialect,
      synthetic: store.config.synthetic,
    },
    responsibleParty: store.config.responsibleParty,
    stores,
    unclassified: stores.filter((s) => !s.classified).map((s) => s.id),
  };
}

/**
 * Rows of every personal table (data and key store), as `{store: {'*': rows}}`: the report's
 * before/after per store beyond the vault's per-category counts.
 */
export async function personalTableCounts(
  store: Store,
): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const t of await listTables(store)) {
    const spec = t.schema === 'keys' ? KEY_TABLES[t.name] : TABLES[t.name];
    if (spec === undefined || spec.personal) {
      out[`${t.schema === 'keys' ? 'keys' : 'db'}:${t.name}`] = { '*': t.rows };
    }
  }
  return out;
}
