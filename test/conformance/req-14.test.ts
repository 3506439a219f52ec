// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 14 — data inventory: `disposal inventory --json` lists every store of personal
 * data with categories, legal bases and retention. Checked against what is really there: every
 * table in the database (both engines, the key store included) and every file under the data dir
 * after a seeded city ran a disposal must appear in the inventory, classified — personal or
 * explicitly declared non-personal with a reason. A store the code writes that the inventory
 * misses fails here.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import {
  expectCode,
  json,
  plantOutboxMessage,
  canaryPhone,
  seedCity,
} from '../e2e/disposal-harness.js';

interface Store {
  id: string;
  kind: string;
  personal: boolean;
  classified: boolean;
  reason?: string;
  retention: string;
  categories: { category: string; legalBases: { purpose: string; basis: string }[] }[];
  files?: string[];
}

function walk(root: string): string[] {
  const out: string[] = [];
  const go = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        go(p);
      } else {
        out.push(p);
      }
    }
  };
  go(root);
  return out;
}

for (const dialect of DIALECTS) {
  describe(`req. 14: data inventory on ${dialect}`, () => {
    it('covers every table and every file the code wrote', { timeout: 300_000 }, async () => {
      // The default size: the template city the disposal e2e suites seed anyway, seeded once per run.
      const city = await seedCity(dialect);
      try {
        // Exercise the stores: an outbox message, a disposal run (reports, certificates, checkpoint).
        plantOutboxMessage(city, canaryPhone(city));
        const plan = join(city.dir, 'plan.json');
        await expectCode(
          city.cli(['disposal', 'plan', '--retire', 'statistics', '--out', plan]),
          0,
        );
        await expectCode(city.cli(['disposal', 'approve', plan, '--by', 'alice']), 0);
        await expectCode(city.cli(['disposal', 'run', plan]), 0);
        const inv = json<{ stores: Store[]; unclassified: string[] }>(
          await city.cli(['disposal', 'inventory', '--json']),
        );
        expect(inv.unclassified).toEqual([]);
        const ids = new Set(inv.stores.map((s) => s.id));

        const tables =
          dialect === 'sqlite'
            ? (
                await city.sql<{ name: string }>(
                  "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
                )
              ).map((r) => `db:${r.name}`)
            : (
                await city.sql<{ s: string; t: string }>(
                  "select table_schema as s, table_name as t from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
                )
              ).map((r) => (r.s === 'healthcode_keys' ? `keys:${r.t}` : `db:${r.t}`));
        expect(tables.length).toBeGreaterThan(20);
        for (const t of tables) {
          expect(ids.has(t), `table ${t} is missing from the inventory`).toBe(true);
        }
        if (dialect === 'sqlite') {
          for (const t of ['keys:dek', 'keys:tombstone']) {
            expect(ids.has(t), t).toBe(true);
          }
        }
        const files = new Set(inv.stores.flatMap((s) => s.files ?? []));
        for (const f of walk(city.data)) {
          expect(
            files.has(f),
            `file ${relative(city.data, f).split(sep).join('/')} is missing from the inventory`,
          ).toBe(true);
        }
        for (const s of inv.stores) {
          expect(s.classified, s.id).toBe(true);
          expect(s.retention.length, s.id).toBeGreaterThan(0);
          if (!s.personal) {
            expect(s.reason, `${s.id} is non-personal without a reason`).toBeTruthy();
          }
        }
        const vault = inv.stores.find((s) => s.id === 'db:vault_record')!;
        expect(vault.categories).toHaveLength(11);
        expect(
          vault.categories.find((c) => c.category === 'identity')?.legalBases.map((b) => b.purpose),
        ).toContain('epidemic-control');
        const kinds = [
          'key-store',
          'log',
          'outbox',
          'report',
          ...(dialect === 'sqlite' ? ['engine-file'] : []),
        ];
        for (const kind of kinds) {
          expect(
            inv.stores.some((s) => s.kind === kind),
            kind,
          ).toBe(true);
        }
      } finally {
        await city.cleanup();
      }
    });
  });
}
