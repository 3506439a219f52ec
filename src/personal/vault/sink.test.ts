// SPDX-License-Identifier: Apache-2.0
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { FixedClock } from '../../kernel/shared/index.js';
import {
  canaryResidents,
  generatePopulation,
  type SyntheticRecord,
} from '../../foundation/sim/index.js';
import { createVaultSink, openVault } from './index.js';
import { RecordingAudit } from './testing.js';

const NOW = new Date('2026-11-28T12:00:00+08:00');
const options = { people: 40, days: 3, seed: 7, end: NOW, canaries: 2, batchSize: 15 };

for (const dialect of DIALECTS) {
  describe(`seeding sink on ${dialect}`, () => {
    let t: TestInstance;
    let audit: RecordingAudit;
    const all: SyntheticRecord[] = [];
    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock(NOW) });
      audit = new RecordingAudit();
      const sink = createVaultSink(t.store, { actor: 'system:seed', audit });
      for (const batch of generatePopulation(options)) {
        all.push(...batch);
        await sink.write(batch);
      }
      const done = await sink.finish();
      expect(done.subjects).toBeGreaterThanOrEqual(80);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('writes every resident, SIM and record as ciphertext a purpose-scoped read gets back', async () => {
      const vault = openVault(t.store, { audit });
      const repo = vault.repository({
        actor: 'operator:alice',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      const residents = all.flatMap((r) => (r.type === 'resident' ? [r.resident] : []));
      expect(residents).toHaveLength(40);
      const r0 = residents[3];
      const citizen = await repo.findCitizen(r0.idNumber);
      expect(citizen).toBeDefined();
      const records = await repo.list(citizen!);
      const identity = records.find((r) => r.category === 'identity')!;
      expect(identity.value).toMatchObject({ name: r0.name, idNumber: r0.idNumber });
      const decl = all.filter((r) => r.type === 'declaration' && r.seq === 3).length;
      expect(records.filter((r) => r.category === 'temperature')).toHaveLength(decl);
      const sub = await repo.findSubscriber(r0.phone);
      const days = await repo.listEntries(sub!, 'location-events');
      const mine = all.filter((r) => r.type === 'location-events' && r.phone === r0.phone);
      expect(days.map((d) => d.entries.length)).toEqual(
        mine.map((m) => (m.type === 'location-events' ? m.events.length : 0)),
      );
      // One audit event per subject, named by its audit id.
      const seedEvents = audit.events.filter((e) => e.action === 'seed');
      expect(seedEvents.length).toBeGreaterThanOrEqual(80);
      expect(new Set(seedEvents.map((e) => e.subjectAuditId)).size).toBe(seedEvents.length);
    });

    it('keeps children linked to their guardian and is idempotent on a re-seed', async () => {
      const repo = openVault(t.store, { audit }).repository({
        actor: 'operator:alice',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      const child = all.flatMap((r) =>
        r.type === 'resident' && r.resident.guardianSeq !== undefined ? [r.resident] : [],
      )[0];
      if (child !== undefined) {
        const guardian = all.find(
          (r) => r.type === 'resident' && r.resident.seq === child.guardianSeq,
        );
        const g = await repo.findCitizen(
          guardian?.type === 'resident' ? guardian.resident.idNumber : '',
        );
        const c = await repo.findCitizen(child.idNumber);
        const identity = (await repo.list(c!, { categories: ['identity'] }))[0];
        expect(identity.value).toMatchObject({ guardian: g });
      }
      const again = createVaultSink(t.store, { actor: 'system:seed', audit });
      const first = [...generatePopulation({ ...options, people: 5 })][0];
      const before = await t.store.db.kysely.selectFrom('vault_subject').select('id').execute();
      await again.write(first);
      const after = await t.store.db.kysely.selectFrom('vault_subject').select('id').execute();
      expect(after).toHaveLength(before.length);
    });

    if (dialect === 'sqlite') {
      it('leaves no canary value in any file of the data dir (UTF-8 and UTF-16)', () => {
        t.store.db.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
        const canaries = canaryResidents(options).flatMap((c) => [
          c.name,
          c.idNumber,
          c.phone.slice(3),
          c.address,
        ]);
        expect(canaries.length).toBeGreaterThan(0);
        const files: string[] = [];
        const walk = (d: string) => {
          for (const e of readdirSync(d, { withFileTypes: true })) {
            if (e.isDirectory()) {
              walk(join(d, e.name));
            } else {
              files.push(join(d, e.name));
            }
          }
        };
        walk(t.dataDir);
        for (const f of files) {
          const bytes = readFileSync(f);
          for (const c of canaries) {
            expect(bytes.includes(Buffer.from(c, 'utf8')), `${c} in ${f}`).toBe(false);
            expect(bytes.includes(Buffer.from(c, 'utf16le'))).toBe(false);
          }
        }
      });
    }
  });
}
