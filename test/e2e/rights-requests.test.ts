// SPDX-License-Identifier: Apache-2.0
/**
 * End to end on both engines (issue 6 "done when"): every request type through the wired runtime
 * and the real vault, audit log, outbox, consent ledger and disposal — identity by one-time code,
 * access and copy exports (JSON + CSV), portability between two instances, correction,
 * explanation, withdrawal and deletion — and the bad input the issue lists, each a typed error
 * that changes nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/kernel/shared/index.js';
import {
  consentRuntime,
  currentNotices,
  grantConsent,
  subjectConsents,
} from '../../src/personal/consent/index.js';
import {
  completeRequest,
  importPackage,
  openRequest,
  type RightsRuntime,
} from '../../src/lifecycle/rights/index.js';
import { dayAt } from '../support/clock.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';
import { lastCode, seedPerson, type Person } from './rights-fixture.js';
import { instanceVault, rightsRuntime } from '../../src/edges/app/index.js';

/** Both instances stand at 10:00 on the harness clock's day (the fixture is dated around it). */
const NOW = dayAt(0, '10:00');

async function count(t: TestInstance, table: 'vault_subject' | 'vault_record' | 'rights_requests') {
  const r = await t.store.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

for (const dialect of DIALECTS) {
  describe(`data-subject requests end to end on ${dialect}`, () => {
    let a: TestInstance;
    let b: TestInstance;
    let clock: FixedClock;
    let rt: RightsRuntime;
    let person: Person;
    let out: string;

    beforeAll(async () => {
      clock = new FixedClock(NOW);
      a = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(a.store);
      b = await createTestInstance(dialect, { clock: new FixedClock(NOW) });
      out = mkdtempSync(join(tmpdir(), 'hc-rights-out-'));
      person = await seedPerson(a.store, 1);
      rt = await rightsRuntime(a.store);
    }, 60_000);
    afterAll(async () => {
      await a?.cleanup();
      await b?.cleanup();
      rmSync(out, { recursive: true, force: true });
    });

    /** Proves the phone with a one-time code and opens + runs a request. */
    async function run(
      type: string,
      extra: { out?: string; input?: unknown; params?: Record<string, string> } = {},
    ) {
      const purpose = `rights-${type}`;
      clock.advance(20 * 60_000); // the outbox allows 5 codes per phone per hour
      await rt.identity!.sendCode(a.store.db.kysely, person.phone, purpose);
      const code = lastCode(a.store.paths.outbox, purpose);
      const who = await rt.identity!.confirm(a.store.db.kysely, person.phone, purpose, code);
      expect(who?.subjectId).toBe(person.citizenId);
      const r = await openRequest(rt.deps, {
        type,
        channel: 'phone',
        subjectId: who!.subjectId,
        identityMethod: 'one-time-code',
        params: extra.params ?? {},
        actor: 'citizen:test',
      });
      return completeRequest(rt.deps, r.id, {
        actor: 'citizen:test',
        ...(extra.out === undefined ? {} : { outPath: extra.out }),
        ...(extra.input === undefined ? {} : { input: extra.input }),
      });
    }

    it('access and copy: JSON with the four groups, colour history, consents and audit trail; CSV beside it', async () => {
      for (const type of ['access', 'copy']) {
        const file = join(out, `${type}.json`);
        const r = await run(type, { out: file });
        expect(r.state).toBe('completed');
        expect(r.dueAt.getTime()).toBeGreaterThan(r.openedAt.getTime());
        const doc = JSON.parse(readFileSync(file, 'utf8'));
        expect(doc.format).toBe('healthcode-export/v1');
        const [citizen, subscriber] = doc.subjects;
        expect(citizen.kind).toBe('citizen');
        expect(
          (citizen.groups.basic.records as Array<{ category: string }>)
            .map((x) => x.category)
            .sort(),
        ).toEqual(['address', 'contact', 'identity']);
        expect(citizen.groups.health.records).toHaveLength(1);
        expect(citizen.groups.certification.records).toHaveLength(3);
        expect(citizen.colourHistory[0].colour).toBe('red');
        expect(citizen.consents.consents[0].purposeId).toBe('public-transit');
        expect(citizen.auditTrail.length).toBeGreaterThan(3);
        expect(subscriber.groups.itinerary.bundles).toHaveLength(14);
        expect(r.result?.entries).toBe(14 * 8);
        const csv = readFileSync(join(out, `${type}.csv`), 'utf8');
        expect(csv.split('\r\n')[0]).toBe('subject,kind,group,category,record,day,created,value');
        expect(csv.split('\r\n').length).toBeGreaterThan(14 * 8);
        // The stored result holds counts and hashes, never values.
        expect(JSON.stringify(r.result)).not.toContain(person.idNumber);
      }
    });

    it('an export is never written into the data dir', async () => {
      const before = await count(a, 'rights_requests');
      await expect(
        run('access', { out: join(a.store.paths.root, 'x.json') }),
      ).rejects.toMatchObject({
        code: 'ERR_RIGHTS_OUTPUT',
      });
      expect(existsSync(join(a.store.paths.root, 'x.json'))).toBe(false);
      expect(await count(a, 'rights_requests')).toBe(before + 1); // opened, left in progress
    });

    it('portability: a signed package another instance imports; forged, altered or replayed ones change nothing', async () => {
      const file = join(out, 'package.jws');
      const r = await run('portability', { out: file });
      expect(r.state).toBe('completed');
      const trust = join(out, 'trust.json');
      const { trustOf } = await import('../../src/lifecycle/rights/index.js');
      const { receiptSigningKey } = await import('../../src/personal/consent/index.js');
      const key = await receiptSigningKey((await consentRuntime(a.store)).deps);
      writeFileSync(trust, JSON.stringify(trustOf(key, a.store.config.responsibleParty)));
      const text = readFileSync(file, 'utf8');
      const ivB = await instanceVault(b.store);
      const deps = {
        db: b.store.db.kysely,
        clock: b.store.clock,
        vault: ivB.vault,
        actor: 'operator:test',
      };
      // Altered: one character of the payload changed.
      const [h, p, s] = text.trim().split('.') as [string, string, string];
      const flipped = p.slice(0, 40) + (p[40] === 'A' ? 'B' : 'A') + p.slice(41);
      await expect(
        importPackage(deps, `${h}.${flipped}.${s}`, readFileSync(trust, 'utf8')),
      ).rejects.toMatchObject({
        code: 'ERR_RIGHTS_PACKAGE_INVALID',
      });
      // Forged: a package signed by another key than the trusted one.
      const { signPackage, verifyPackage, parseTrust } =
        await import('../../src/lifecycle/rights/index.js');
      const { signingKeyFromSeed } = await import('../../src/personal/consent/index.js');
      const payload = verifyPackage(text, parseTrust(readFileSync(trust, 'utf8')));
      const forger = signingKeyFromSeed(Buffer.alloc(32, 7));
      const forged = signPackage(payload, { ...forger, kid: key.kid });
      await expect(importPackage(deps, forged, readFileSync(trust, 'utf8'))).rejects.toMatchObject({
        code: 'ERR_RIGHTS_PACKAGE_INVALID',
      });
      expect(await count(b, 'vault_subject')).toBe(0);
      expect(await count(b, 'vault_record')).toBe(0);
      // The genuine package.
      const report = await importPackage(deps, text, readFileSync(trust, 'utf8'));
      expect(report).toMatchObject({
        subjects: 2,
        created: 2,
        records: 7 + 1,
        entries: 14 * 8,
        links: 1,
      });
      const records = await count(b, 'vault_record');
      await expect(importPackage(deps, text, readFileSync(trust, 'utf8'))).rejects.toMatchObject({
        code: 'ERR_RIGHTS_PACKAGE_REPLAYED',
      });
      expect(await count(b, 'vault_record')).toBe(records);
      // Instance B now finds the person by ID number and holds the same data.
      const sys = ivB.vault.systemRepository({ actor: 'test', purpose: 'maintenance' });
      const found = await sys.findCitizen(person.idNumber);
      expect(found).toBeDefined();
      const identity = (await sys.list(found!, { categories: ['identity'] }))[0].value as {
        idNumber: string;
      };
      expect(identity.idNumber).toBe(person.idNumber);
      const [subscriber] = await sys.links(found!);
      expect((await sys.listEntries(subscriber, 'location-events')).length).toBe(14);
      await ivB.finish();
    });

    it('correction: the record is replaced and the colour re-evaluated', async () => {
      const r = await run('correction', {
        params: { recordId: person.testRecordId },
        input: { kind: 'antigen', result: 'negative', at: dayAt(-7, '09:00') },
      });
      expect(r.state).toBe('completed');
      // The positive test that made the code red is corrected: codes re-evaluates (art. 46).
      expect(r.result).toMatchObject({
        corrected: 'record',
        colourReevaluation: 'done',
        colourChanged: true,
        reviewId: null,
      });
      const iv = await instanceVault(a.store);
      const sys = iv.vault.systemRepository({ actor: 'test', purpose: 'maintenance' });
      const rec = await sys.get<{ result: string }>(person.citizenId, person.testRecordId);
      expect(rec.value.result).toBe('negative');
      // A record the person does not have: typed error.
      await expect(
        run('correction', { params: { recordId: 'AAAAAAAAAAAAAAAAAAAAAA' }, input: { x: 1 } }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_CORRECTION_INVALID' });
    });

    it('explanation: the latest colour decision with the rules that fired', async () => {
      const file = join(out, 'why.json');
      const r = await run('explanation', { out: file });
      // The fixture's red decision, then the one made after the correction.
      expect(r.result).toMatchObject({ decisions: 2, explained: true });
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      expect(doc.latest.colour).not.toBe('red');
      expect(JSON.stringify(doc.latest.why)).not.toContain('positive-test');
    });

    it('withdrawal on the ledger; a withdrawal of nothing is a typed error', async () => {
      const r = await run('withdrawal');
      expect(r.state).toBe('completed');
      const c = await subjectConsents(a.store.db.kysely, person.citizenId);
      expect(c.consents.every((x) => x.status === 'withdrawn')).toBe(true);
      await expect(run('withdrawal')).rejects.toMatchObject({
        code: 'ERR_CONSENT_NOTHING_TO_WITHDRAW',
      });
    });

    it('one-time codes: a wrong, expired or replayed code proves nothing', async () => {
      const purpose = 'rights-access';
      clock.advance(20 * 60_000);
      await rt.identity!.sendCode(a.store.db.kysely, person.phone, purpose);
      const code = lastCode(a.store.paths.outbox, purpose);
      expect(
        await rt.identity!.confirm(a.store.db.kysely, person.phone, purpose, code),
      ).toBeDefined();
      await expect(
        rt.identity!.confirm(a.store.db.kysely, person.phone, purpose, code),
      ).rejects.toMatchObject({
        code: 'ERR_OUTBOX_CODE_USED',
      });
      clock.advance(20 * 60_000);
      await rt.identity!.sendCode(a.store.db.kysely, person.phone, purpose);
      const late = lastCode(a.store.paths.outbox, purpose);
      clock.advance(10 * 60_000);
      await expect(
        rt.identity!.confirm(a.store.db.kysely, person.phone, purpose, late),
      ).rejects.toMatchObject({
        code: 'ERR_OUTBOX_CODE_EXPIRED',
      });
    });

    it('consent bad input: unknown purpose, category not used by the purpose → typed errors, nothing changed', async () => {
      const rtc = await consentRuntime(a.store);
      const policy = (await currentNotices(rtc.deps)).find(
        (n) => n.kind === 'privacy-policy',
      )!.hash;
      const before = await subjectConsents(a.store.db.kysely, person.citizenId);
      await expect(
        grantConsent(rtc.deps, {
          subjectId: person.citizenId,
          purposeId: 'no-such-purpose',
          categories: ['contact'],
          noticeHash: policy,
          actor: 't',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_UNKNOWN_PURPOSE' });
      await expect(
        grantConsent(rtc.deps, {
          subjectId: person.citizenId,
          purposeId: 'public-transit',
          categories: ['medical-history'],
          noticeHash: policy,
          actor: 't',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE' });
      expect(await subjectConsents(a.store.db.kysely, person.citizenId)).toEqual(before);
    });

    it('deletion: crypto-erased through disposal with a certificate', async () => {
      const file = join(out, 'deletion.json');
      const r = await run('deletion', { out: file });
      expect(r.state).toBe('completed');
      expect(r.result).toMatchObject({ keysAbsent: true, rowsRemaining: 0 });
      const iv = await instanceVault(a.store);
      expect(await iv.vault.kindOf(person.citizenId)).toBeUndefined();
      expect(JSON.parse(readFileSync(file, 'utf8')).retrievalCode).toBeDefined();
    });
  });
}
