// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 20 — access/copy and portability: a subject downloads their own data in a
 * machine-readable format (JSON) covering all four GB/T 38962 groups and the colour history,
 * and can have it ported to another processor (PIPL art. 45). Through the wired runtime and the
 * real vault; the port goes to a second instance that verifies the exporter's signature.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { consentRuntime, receiptSigningKey } from '../../src/personal/consent/index.js';
import { DATA_GROUPS } from '../../src/kernel/domain/index.js';
import {
  completeRequest,
  importPackage,
  openRequest,
  trustOf,
} from '../../src/lifecycle/rights/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { seedPerson, type Person } from '../e2e/rights-fixture.js';
import { dayAt } from '../support/clock.js';
import { instanceVault, rightsRuntime } from '../../src/edges/app/index.js';

for (const dialect of DIALECTS) {
  describe(`req. 20: access/copy and portability on ${dialect}`, () => {
    let a: TestInstance;
    let b: TestInstance;
    let person: Person;
    let out: string;

    beforeAll(async () => {
      const clock = new FixedClock(dayAt(0, '10:00'));
      a = await createTestInstance(dialect, { clock });
      b = await createTestInstance(dialect, { clock: new FixedClock(dayAt(1, '10:00')) });
      person = await seedPerson(a.store, 3, 3);
      out = mkdtempSync(join(tmpdir(), 'hc-req20-'));
    }, 30_000);
    afterAll(async () => {
      await a?.cleanup();
      await b?.cleanup();
      rmSync(out, { recursive: true, force: true });
    });

    async function run(type: string, file: string) {
      const rt = await rightsRuntime(a.store);
      const r = await openRequest(rt.deps, {
        type,
        channel: 'operator',
        subjectId: person.citizenId,
        identityMethod: 'in-person',
        actor: 'operator:test',
      });
      const done = await completeRequest(rt.deps, r.id, { actor: 'operator:test', outPath: file });
      await rt.finish();
      return done;
    }

    it('the JSON download covers all four groups and the colour history', async () => {
      const file = join(out, 'copy.json');
      expect((await run('copy', file)).state).toBe('completed');
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const groups = new Set<string>();
      for (const s of doc.subjects) {
        for (const g of DATA_GROUPS) {
          if (s.groups[g].records.length + s.groups[g].bundles.length > 0) {
            groups.add(g);
          }
        }
      }
      expect([...groups].sort()).toEqual([...DATA_GROUPS].sort());
      expect(doc.subjects[0].colourHistory).toHaveLength(1);
    });

    it('portability: another processor imports the signed package', async () => {
      const file = join(out, 'port.jws');
      expect((await run('portability', file)).state).toBe('completed');
      const key = await receiptSigningKey((await consentRuntime(a.store)).deps);
      const trust = JSON.stringify(trustOf(key, a.store.config.responsibleParty));
      const iv = await instanceVault(b.store);
      const report = await importPackage(
        { db: b.store.db.kysely, clock: b.store.clock, vault: iv.vault, actor: 'operator:b' },
        readFileSync(file, 'utf8'),
        trust,
      );
      expect(report).toMatchObject({ subjects: 2, links: 1, entries: 3 * 8 });
      const sys = iv.vault.systemRepository({ actor: 'test', purpose: 'maintenance' });
      expect(await sys.findCitizen(person.idNumber)).toBeDefined();
    });
  });
}
