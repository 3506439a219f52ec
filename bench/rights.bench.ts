// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of the access export (issue 6, PIPL art. 45), on SQLite, in one run: the
 * export of one person — a citizen with the four GB/T 38962 groups and a colour decision, and
 * their phone's subscriber with 14 days of location events (8 a day) — through the wired access
 * executor (system reads of every record and bundle with AES-256-GCM decryption, the vault's
 * audit leaves in the real Merkle log, consents, the audit trail, JSON and CSV written to disk),
 * against reading the same rows raw: the person's rows as stored, read through the vault
 * (`readAll` of both subjects: one SELECT each, AES-256-GCM decryption, and the audit leaf every
 * vault read appends — there is no unaudited read path). Target: export < 10× raw. The bare SQL
 * SELECT of the ciphertext rows (no decryption, no audit) is reported too, for information: on a
 * disk where each audit commit costs an fsync it is two orders of magnitude below any audited
 * read. Persons rotate so each one's audit trail stays the size a real request sees (a few dozen
 * entries), not one that grows per loop.
 */
import { join } from 'node:path';
import type { BenchContext, BenchResult } from './harness.js';
import { atMost, measure, round } from './harness.js';
import { instanceVault, openInstance, rightsRuntime } from '../src/edges/app/index.js';
import { computeIdCheckChar } from '../src/kernel/domain/index.js';
import { type RightsRequest } from '../src/lifecycle/rights/index.js';
import { exportExecutor } from '../src/lifecycle/rights/vault-executors.js';

function idNumber(i: number): string {
  const body = `110101198${i % 10}0101${String(100 + i).padStart(3, '0')}`;
  return body + computeIdCheckChar(body);
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const persons = 40;
  const days = 14;
  const store = await openInstance({ dataDir: join(ctx.tmpDir, 'data'), create: true });
  try {
    const iv = await instanceVault(store);
    const repo = iv.vault.repository({
      actor: 'bench',
      role: 'operator',
      purpose: 'epidemic-control',
    });
    const people: Array<{ citizen: string; subscriber: string }> = [];
    for (let i = 0; i < persons; i++) {
      const phone = `+86139${String(10_000_000 + i)}`;
      const { subjectId: citizen } = await repo.ensureCitizen(idNumber(i));
      await repo.put(citizen, 'identity', { name: '测试', idNumber: idNumber(i) });
      await repo.put(citizen, 'contact', { phone });
      await repo.put(citizen, 'address', { householdRegion: '110101', address: '东城区1号' });
      await repo.put(citizen, 'temperature', { celsius: 36.5, at: '2026-11-20T08:00:00+08:00' });
      await repo.put(citizen, 'test-results', { kind: 'antigen', result: 'negative' });
      await repo.put(citizen, 'colour-decisions', { colour: 'green', fired: [] });
      const { subjectId: subscriber } = await repo.ensureSubscriber(phone);
      await repo.put(subscriber, 'contact', { phone, carrier: 'cmcc' });
      for (let d = 0; d < days; d++) {
        const day = `2026-11-${String(10 + d).padStart(2, '0')}`;
        await repo.putEntries(
          subscriber,
          'location-events',
          day,
          Array.from({ length: 8 }, (_, k) => ({
            id: `e${i}-${d}-${k}`,
            time: `${day}T${String(8 + k).padStart(2, '0')}:00:00+08:00`,
            cell: '8831aa5055fffff',
          })),
        );
      }
      await repo.link(citizen, subscriber);
      people.push({ citizen, subscriber });
    }
    await iv.finish();
    ctx.log(`seeded ${persons} persons with ${days} days of events each`);

    const rt = await rightsRuntime(store);
    const exporter = exportExecutor(await rt.vaultPorts());
    const db = store.db.kysely;
    const out = join(ctx.tmpDir, 'export.json');
    let i = 0;
    const raw = await measure(
      async () => {
        const p = people[i++ % persons];
        await db
          .selectFrom('vault_record')
          .selectAll()
          .where('subject_id', 'in', [p.citizen, p.subscriber])
          .execute();
      },
      { minMs: 2000 },
    );
    i = 0;
    const sys = (await rt.vaultPorts()).vault.systemRepository({
      actor: 'bench:raw',
      purpose: 'maintenance',
    });
    const vaultRead = await measure(
      async () => {
        const p = people[i++ % persons];
        await sys.readAll(p.citizen);
        await sys.readAll(p.subscriber);
      },
      { minMs: 3000 },
    );
    i = 0;
    let rows = 0;
    const exp = await measure(
      async () => {
        const p = people[i++ % persons];
        const req = {
          id: `rq-bench-${i}`,
          type: 'access',
          subjectId: p.citizen,
          params: {},
        } as unknown as RightsRequest & { subjectId: string };
        const r = await exporter.execute(db, req, { outPath: out });
        rows = Number(r.summary.records) + Number(r.summary.entries);
      },
      { minMs: 3000 },
    );
    await rt.finish();
    const sqlMs = 1000 / raw.opsPerSec;
    const rawMs = 1000 / vaultRead.opsPerSec;
    const expMs = 1000 / exp.opsPerSec;
    ctx.log(
      `SQL only ${round(sqlMs, 3)} ms; raw vault read ${round(rawMs, 3)} ms; ` +
        `access export ${round(expMs, 3)} ms (${rows} records + entries)`,
    );
    return {
      name: 'rights',
      metrics: {
        engine: 'sqlite',
        persons,
        days,
        exportedValues: rows,
        sqlSelectMs: round(sqlMs, 3),
        rawVaultReadMs: round(rawMs, 3),
        accessExportMs: round(expMs, 3),
        exportOverSqlSelect: round(expMs / sqlMs, 1),
        exportIterations: exp.iterations,
      },
      ratios: [atMost('access export / raw read of the same rows', expMs / rawMs, 10)],
    };
  } finally {
    await store.close();
  }
}
