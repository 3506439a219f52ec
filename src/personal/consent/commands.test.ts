// SPDX-License-Identifier: Apache-2.0
/**
 * End to end through the compiled CLI (`npm test` builds first): each step is its own process,
 * so a withdrawal is seen by the next process at once, receipts verify across runs, and bad
 * input exits 2 with a typed code and no personal data on stderr.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceVault, openInstance } from '../../edges/app/index.js';
import { computeIdCheckChar } from '../../kernel/domain/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { currentNotices } from './catalogue-service.js';
import { grantConsent } from './ledger.js';
import { consentRuntime } from './wiring.js';
import { runCli } from '../../../test/support/cli.js';

/** Several CLI processes in turn: seconds each on two shared cores, far more under load. */
const CLI_TIMEOUT = 180_000;

describe('healthcode purpose / service / consent / request (compiled CLI)', () => {
  let root: string;
  let data: string;
  const hc = (args: string[], stdin?: string) =>
    runCli(['--data', data, ...args], stdin === undefined ? {} : { stdin });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'hc-consent-cli-'));
    data = join(root, 'data');
    const store = await openInstance({ dataDir: data, create: true });
    await store.close();
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('lists purposes as one JSON document', async () => {
    const p = await hc(['purpose', 'list', '--json']);
    expect(p.code).toBe(0);
    const { purposes } = JSON.parse(p.stdout) as { purposes: Array<Record<string, unknown>> };
    expect(purposes.map((x) => x.id)).toEqual([
      'epidemic-control',
      'public-transit',
      'hospital',
      'government-services',
      'statistics',
    ]);
    for (const k of [
      'id',
      'legalBasis',
      'validFrom',
      'validTo',
      'categories',
      'retention',
      'separateConsent',
    ]) {
      expect(purposes[0]).toHaveProperty(k);
    }
  });

  it(
    'grants, answers the guard in the next process, withdraws, and refuses at once after',
    async () => {
      const g = await hc([
        'consent',
        'grant',
        'cli-subj-1',
        '--purpose',
        'statistics',
        '--categories',
        'location-events,itinerary',
        '--separate',
        '--json',
      ]);
      expect(g.code, g.stderr).toBe(0);
      expect(JSON.parse(g.stdout)).toMatchObject({ categories: ['location-events', 'itinerary'] });
      const ask = [
        'consent',
        'check',
        'cli-subj-1',
        '--purpose',
        'statistics',
        '--category',
        'itinerary',
        '--json',
      ];
      const receipt = join(root, 'withdrawal.jws');
      const w = await hc([
        'consent',
        'withdraw',
        'cli-subj-1',
        '--purpose',
        'statistics',
        '--out',
        receipt,
      ]);
      expect(w.code, w.stderr).toBe(0);
      const after = await hc(ask);
      expect(after.code).toBe(1);
      expect(JSON.parse(after.stdout)).toMatchObject({
        allowed: false,
        reason: 'consent-withdrawn',
      });
      const v = await hc(['consent', 'verify', receipt, '--json']);
      expect(v.code).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, recorded: true });
      const parts = readFileSync(receipt, 'utf8').trim().split('.');
      const body = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const forged = [
        parts[0],
        Buffer.from(JSON.stringify({ ...body, piiPrincipalId: 'cli-subj-2' })).toString(
          'base64url',
        ),
        parts[2],
      ].join('.');
      const bad = await hc(['consent', 'verify', '-', '--json'], forged);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout)).toMatchObject({
        valid: false,
        error: 'ERR_CONSENT_RECEIPT_INVALID',
      });
    },
    CLI_TIMEOUT,
  );

  it(
    "takes a child's age from the vault: no grant without a guardian, whatever argv says",
    async () => {
      // Pinned instants, the child six at each, on any date the suite runs. `--now` starts a
      // process's clock there and lets it run, so the checks come an hour after the grants.
      const now = '2026-06-15T10:00:00+08:00';
      const later = '2026-06-15T11:00:00+08:00';
      const store = await openInstance({
        dataDir: data,
        create: false,
        clock: new FixedClock(now),
      });
      let child: string;
      let adult: string;
      try {
        const iv = await instanceVault(store);
        const epi = iv.vault.repository({
          actor: 'test:seed',
          role: 'operator',
          purpose: 'epidemic-control',
        });
        const body = '11010520200315123';
        child = (await epi.ensureCitizen(body + computeIdCheckChar(body))).subjectId;
        adult = (await epi.ensureCitizen('11010519491231002X')).subjectId;
        await iv.finish();
        // A plain consent recorded by a ledger that was not told the age (no vault wired).
        const unaware = await consentRuntime(store);
        await grantConsent(unaware.deps, {
          subjectId: child,
          purposeId: 'government-services',
          categories: ['contact'],
          noticeHash: (await currentNotices(unaware.deps)).find(
            (n) => n.kind === 'privacy-policy' && n.language === 'zh',
          )!.hash,
          actor: 'citizen:test',
        });
        await unaware.finish();
      } finally {
        await store.close();
      }
      const at = (instant: string, args: string[]) =>
        runCli(['--data', data, '--now', instant, ...args], {
          env: { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1' },
        });
      const grant = (...more: string[]) =>
        at(now, [
          'consent',
          'grant',
          child,
          '--purpose',
          'public-transit',
          '--categories',
          'contact',
          ...more,
        ]);
      const plain = await grant();
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain('ERR_CONSENT_SEPARATE_REQUIRED');
      const unguarded = await grant('--separate');
      expect(unguarded.code).toBe(2);
      expect(unguarded.stderr).toContain('ERR_CONSENT_GUARDIAN_REQUIRED');
      const guarded = await grant('--separate', '--guardian', adult, '--json');
      expect(guarded.code, guarded.stderr).toBe(0);
      const check = (purpose: string) =>
        at(later, [
          'consent',
          'check',
          child,
          '--purpose',
          purpose,
          '--category',
          'contact',
          '--json',
        ]);
      const allowed = await check('public-transit');
      expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ allowed: true, reason: 'consent' });
      const refused = await check('government-services');
      expect(refused.code, refused.stderr).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({
        allowed: false,
        reason: 'separate-consent-missing',
      });
    },
    CLI_TIMEOUT,
  );

  it('exits 2 with a typed code on bad input, echoing no personal data', async () => {
    const idAsSubject = await hc([
      'consent',
      'grant',
      '11010519491231002X',
      '--purpose',
      'marketing',
      '--categories',
      'contact',
    ]);
    expect(idAsSubject.code).toBe(2);
    expect(idAsSubject.stderr).toContain('ERR_CONSENT_SUBJECT_ID_INVALID');
    expect(idAsSubject.stderr).not.toContain('11010519491231002X');
  });

  it(
    'tracks requests: a withdrawal runs at once, the list exits 0 when nothing is overdue',
    async () => {
      await hc([
        'consent',
        'grant',
        'cli-subj-4',
        '--purpose',
        'government-services',
        '--categories',
        'contact',
      ]);
      const open = await hc([
        'request',
        'open',
        '--type',
        'withdrawal',
        '--subject',
        'cli-subj-4',
        '--verified-by',
        'in-person',
        '--json',
      ]);
      expect(open.code, open.stderr).toBe(0);
      const { request } = JSON.parse(open.stdout) as {
        request: { id: string; state: string; dueDate: string };
      };
      expect(request.state).toBe('completed');
      const overdue = await hc(['request', 'list', '--overdue', '--json']);
      expect(overdue.code).toBe(0);
      expect(JSON.parse(overdue.stdout)).toEqual({ requests: [] });
      const phone = await hc(
        ['request', 'open', '--type', 'access', '--phone-stdin'],
        '+8619800000003\n',
      );
      // A phone the vault does not know gets no code, and the answer is the same as for a known one.
      expect(phone.code).toBe(0);
      expect(phone.stdout).toContain('one-time code was sent');
      expect(phone.stdout + phone.stderr).not.toContain('19800000003');
    },
    CLI_TIMEOUT,
  );
});
