// SPDX-License-Identifier: Apache-2.0
/**
 * A party config's input party that reads an instance contributes only subscribers whose
 * `statistics` purpose has a basis there: phones go through the vault's blind index to their
 * subject (a SIM linked to one citizen counts under the citizen's consent), the consent guard
 * decides. Real party nodes over pinned TLS, real vault and ledger, on SQLite and PostgreSQL; noise
 * off through the test seam, so the revealed counts are exact.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import {
  consentRuntime,
  currentNotices,
  grantConsent,
  withdrawConsent,
} from '../../personal/consent/index.js';
import {
  JobSession,
  createPartyCredentials,
  startPartyNode,
  type JobSpec,
  type PartyNode,
  type PeerEntry,
} from '../../foundation/privacy/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { allMigrations } from '../../edges/app/instance.js';
import { compileQuery, type AnalyticsQuery } from './model.js';
import { startPartyFromConfig } from './party-runtime.js';
import { instanceVault } from '../../edges/app/index.js';

const query: AnalyticsQuery = {
  kind: 'crowd',
  prefecture: '320200',
  from: '2026-11-25T10:00:00+08:00',
  hours: 1,
};

// Synthetic mobile numbers (no real subscriber).
const LINKED = '13800000011'; // SIM of a citizen who granted statistics
const GRANTED = '13800000012'; // subscriber who granted statistics
const WITHDRAWN = '13800000013'; // granted, then withdrew
const SILENT = '13800000014'; // known to the vault, never consented
const UNKNOWN = '13800000015'; // not in the vault at all

for (const dialect of DIALECTS) {
  describe(`party config with consent "instance" on ${dialect}`, () => {
    let t: TestInstance;
    let dir: string;

    beforeAll(async () => {
      const clock = new FixedClock('2026-11-27T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      dir = mkdtempSync(join(tmpdir(), 'hc-party-consent-'));
      const iv = await instanceVault(t.store);
      const rt = await consentRuntime(t.store);
      try {
        const repo = iv.vault.systemRepository({ actor: 'system:test', purpose: 'maintenance' });
        const citizen = await repo.ensureCitizen('11010519491231002X');
        const sim = await repo.ensureSubscriber(LINKED);
        await repo.link(citizen.subjectId, sim.subjectId);
        const granted = await repo.ensureSubscriber(GRANTED);
        const withdrawn = await repo.ensureSubscriber(WITHDRAWN);
        await repo.ensureSubscriber(SILENT);
        const policy = (await currentNotices(rt.deps)).find(
          (n) => n.kind === 'privacy-policy' && n.language === 'zh',
        )!.hash;
        for (const subjectId of [citizen.subjectId, granted.subjectId, withdrawn.subjectId]) {
          await grantConsent(rt.deps, {
            subjectId,
            purposeId: 'statistics',
            categories: ['location-events'],
            noticeHash: policy,
            separate: true,
            actor: 'citizen',
          });
        }
        await withdrawConsent(rt.deps, {
          subjectId: withdrawn.subjectId,
          purposeId: 'statistics',
          actor: 'citizen',
        });
      } finally {
        await rt.finish();
        await iv.finish();
      }
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.cleanup();
    });

    // In-process TLS parties and two stores on one instance: seconds, more on a loaded machine.
    it(
      'counts only subscribers with a statistics basis; withdrawn, silent and unknown ones do not',
      {
        timeout: 120_000,
      },
      async () => {
        const compiled = compileQuery(query);
        const target = compiled.keyOf(0);
        // Two events each, in the window's first cell: one person still counts once per cell.
        const lines = [LINKED, GRANTED, WITHDRAWN, SILENT, UNKNOWN].flatMap((phone) =>
          ['10:15', '10:40'].map((hm) =>
            JSON.stringify({ phone, time: `2026-11-25T${hm}:00+08:00`, cell: String(target.cell) }),
          ),
        );
        writeFileSync(join(dir, 'cmcc-events.ndjson'), `${lines.join('\n')}\n`);

        // Certificates on the wall clock, which TLS checks them against; every party and the
        // job's deadline on the instance's clock, like the input party that reads its consents.
        const now = new Date();
        const cred = (name: string) => createPartyCredentials(name, now, randomBytes(8));
        const coordinator = cred('coordinator');
        const holder = cred('cmcc');
        const computeCreds = [cred('compute-1'), cred('compute-2')];
        const pinned: PeerEntry[] = [
          { name: 'coordinator', role: 'coordinator', fingerprint: coordinator.fingerprint },
          { name: 'cmcc', role: 'input', fingerprint: holder.fingerprint },
          ...computeCreds.map((c, i) => ({
            name: `compute-${i + 1}`,
            role: 'compute' as const,
            fingerprint: c.fingerprint,
          })),
        ];
        writeFileSync(join(dir, 'cmcc.key.pem'), holder.keyPem, { mode: 0o600 });
        writeFileSync(join(dir, 'cmcc.cert.pem'), holder.certPem);
        writeFileSync(
          join(dir, 'cmcc.json'),
          JSON.stringify({
            name: 'cmcc',
            role: 'input',
            listen: { host: '127.0.0.1', port: 0 },
            key: 'cmcc.key.pem',
            cert: 'cmcc.cert.pem',
            peers: pinned.filter((p) => p.name !== 'cmcc'),
            data: { holder: 'cmcc', events: 'cmcc-events.ndjson' },
            consent: { kind: 'instance', data: t.dataDir },
          }),
        );

        const nodes: PartyNode[] = [];
        const logs: string[] = [];
        try {
          const compute: JobSpec['compute'] = [];
          for (const [i, c] of computeCreds.entries()) {
            const name = `compute-${i + 1}`;
            const node = await startPartyNode({
              name,
              role: 'compute',
              identity: c,
              peers: pinned.filter((p) => p.name !== name),
              allowNoiseOff: true,
              clock: t.store.clock,
            });
            nodes.push(node);
            compute.push({ name, host: '127.0.0.1', port: node.port });
          }
          const { node: input } = await startPartyFromConfig(
            join(dir, 'cmcc.json'),
            (m) => logs.push(m),
            {
              dbUrl: t.dbUrl,
              clock: t.store.clock,
              migrations: allMigrations,
              openInstanceVault: instanceVault,
            },
          );
          nodes.push(input);
          const parties: PeerEntry[] = [
            { ...pinned[1], host: '127.0.0.1', port: input.port },
            ...compute.map((c, i) => ({ ...pinned[2 + i], host: c.host, port: c.port })),
          ];
          const session = await JobSession.open(
            { identity: coordinator, parties, clock: t.store.clock },
            {
              id: randomUUID(),
              query,
              cells: compiled.cells,
              inputs: ['cmcc'],
              compute,
              chunkCells: 4096,
              deadline: new Date(t.store.clock.now().getTime() + 60_000).toISOString(),
              noise: { kind: 'none' },
              contributionBound: compiled.bound,
            },
          );
          const sums = await session.aggregate();
          await session.finish();
          // The linked SIM (its citizen's grant) and the granted subscriber: exactly two people.
          expect(Number(sums[0])).toBe(2);
          expect([...sums].slice(1).every((v) => v === 0n)).toBe(true);
          expect(logs.join('\n')).toMatch(/2 persons contribute, 3 subscribers refused by consent/);
          // Logs carry counts only, never a phone number.
          expect(logs.join('\n')).not.toMatch(/1380000001\d/);
        } finally {
          await Promise.all(nodes.map((n) => n.close()));
        }
      },
    );
  });
}
