// SPDX-License-Identifier: Apache-2.0
/**
 * @module The repository-backed guard on its own: the facts a request brings (time, age,
 * restriction) and their defaults, the audit entry of each decision field by field, the
 * caller-logs mode, a catalogue change seen at the next decision — and the pure decision at the
 * first instant of a basis' window. The guard matrix (guard.test.ts) covers the rules; this file
 * covers what the service adds around them (found by the mutation run, docs/mutation-testing.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { openVault, type Vault } from '../vault/index.js';
import { RecordingAudit } from '../vault/testing.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices, retirePurpose } from './catalogue-service.js';
import { decideAccess, type PurposeFacts } from './guard.js';
import { ConsentGuard } from './guard-service.js';
import { grantConsent } from './ledger.js';
import { testLedgerDeps } from './testing.js';

// GB 11643-1999 example number (DOMAIN.md §4.2): born 1949, an adult.
const ID = '11010519491231002X';
const NOW = '2026-11-28T09:00:00+08:00';

describe('decideAccess at the edges of a window', () => {
  const purpose = (from: Date): PurposeFacts => ({
    id: 'epidemic-control',
    legalBasis: '13(4)',
    validFrom: from,
    validTo: null,
    categories: ['temperature'],
  });
  const at = new Date(NOW);

  it('allows from the first millisecond of the basis on', () => {
    const facts = {
      category: 'temperature' as const,
      at,
      restricted: false,
      under14: false,
      consent: undefined,
    };
    expect(decideAccess({ ...facts, purpose: purpose(at) })).toEqual({
      allowed: true,
      reason: 'statutory-basis',
      basis: '13(4)',
    });
    expect(decideAccess({ ...facts, purpose: purpose(new Date(at.getTime() + 1)) })).toEqual({
      allowed: false,
      reason: 'basis-not-yet-valid',
      basis: '13(4)',
    });
  });

  it('names no basis when the purpose is unknown', () => {
    const d = decideAccess({
      purpose: undefined,
      category: 'temperature',
      at,
      restricted: false,
      under14: false,
      consent: undefined,
    });
    expect(d).toStrictEqual({ allowed: false, reason: 'unknown-purpose' });
  });
});

for (const dialect of DIALECTS) {
  describe(`ConsentGuard.decide on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let vault: Vault;
    let deps: ReturnType<typeof testLedgerDeps>;
    let subjectId: string;
    let auditId: string;
    let granted: Date;

    beforeAll(async () => {
      clock = new FixedClock(NOW);
      t = await createTestInstance(dialect, { clock });
      vault = openVault(t.store, { audit: new RecordingAudit() });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom, { auditIds: vault });
      const epidemic = vault.repository({
        actor: 'system:test',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      subjectId = (await epidemic.ensureCitizen(ID)).subjectId;
      auditId = (await vault.auditIdOf(t.store.db.kysely, subjectId))!;
      const policy = (await currentNotices(deps)).find((n) => n.kind === 'privacy-policy')!.hash;
      granted = clock.now();
      await grantConsent(deps, {
        subjectId,
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'citizen',
      });
    });
    afterAll(async () => {
      await t.cleanup();
    });

    const decisions = () => deps.audit.events.filter((e) => e.action === 'guard.decide');

    it('decides at the given time, or now', async () => {
      const guard = new ConsentGuard(deps);
      const before = new Date(granted.getTime() - 60_000);
      expect(
        await guard.decide({
          subjectId,
          purpose: 'public-transit',
          category: 'contact',
          at: before,
        }),
      ).toMatchObject({ allowed: false, reason: 'no-consent' });
      expect(
        await guard.decide({ subjectId, purpose: 'public-transit', category: 'contact' }),
      ).toMatchObject({ allowed: true, reason: 'consent' });
      expect(
        decisions()
          .slice(-2)
          .map((e) => e.at),
      ).toEqual([before, clock.now()]);
    });

    it('takes restriction and age from the request, and assumes neither', async () => {
      const guard = new ConsentGuard(deps);
      const req = { subjectId, purpose: 'public-transit', category: 'contact' as const };
      expect(await guard.decide({ ...req, restricted: true })).toMatchObject({
        allowed: false,
        reason: 'restricted',
      });
      expect(await guard.decide({ ...req, under14: true })).toMatchObject({
        allowed: false,
        // Contact is sensitive for a child: the plain consent does not do.
        reason: 'separate-consent-missing',
      });
      expect(await guard.decide(req)).toMatchObject({ allowed: true, reason: 'consent' });
    });

    it("logs each decision under the subject's audit id, with reason and basis", async () => {
      const guard = new ConsentGuard(deps);
      deps.audit.events.length = 0;
      await guard.decide({ subjectId, purpose: 'public-transit', category: 'contact' });
      await guard.decide({
        subjectId,
        purpose: 'public-transit',
        category: 'test-results',
        actor: 'gate:metro-7',
      });
      const long = `p${'x'.repeat(79)}`;
      await guard.decide({
        subjectId,
        purpose: long,
        category: 'contact',
        subjectAuditId: 'aid-1',
      });
      expect(deps.audit.events).toEqual([
        {
          kind: 'access',
          actor: 'system',
          purpose: 'public-transit',
          category: 'contact',
          action: 'guard.decide',
          outcome: 'ok',
          at: clock.now(),
          details: { reason: 'consent', basis: '13(1)' },
          subjectAuditId: auditId,
        },
        {
          kind: 'refusal',
          actor: 'gate:metro-7',
          purpose: 'public-transit',
          category: 'test-results',
          action: 'guard.decide',
          outcome: 'ERR_CONSENT_REFUSED',
          at: clock.now(),
          details: { reason: 'category-not-in-purpose', basis: '13(1)' },
          subjectAuditId: auditId,
        },
        {
          kind: 'refusal',
          actor: 'system',
          // Cut to 60 characters: an unknown purpose name is caller input.
          purpose: long.slice(0, 60),
          category: 'contact',
          action: 'guard.decide',
          outcome: 'ERR_CONSENT_REFUSED',
          at: clock.now(),
          details: { reason: 'unknown-purpose', basis: null },
          subjectAuditId: 'aid-1',
        },
      ]);
      expect(JSON.stringify(deps.audit.events)).not.toContain(subjectId);
    });

    it('logs nothing itself when the caller logs the read', async () => {
      const guard = new ConsentGuard(deps, { log: 'caller' });
      deps.audit.events.length = 0;
      expect(
        await guard.decide({ subjectId, purpose: 'public-transit', category: 'contact' }),
      ).toMatchObject({ allowed: true });
      expect(deps.audit.events).toEqual([]);
    });

    it('sees a catalogue change at the next decision', async () => {
      const guard = new ConsentGuard(deps);
      const req = { subjectId, purpose: 'public-transit', category: 'contact' as const };
      expect(await guard.decide(req)).toMatchObject({ allowed: true, reason: 'consent' });
      await retirePurpose(deps, 'public-transit', 'operator:alice');
      expect(await guard.decide(req)).toMatchObject({ allowed: false, reason: 'basis-expired' });
    });
  });
}
