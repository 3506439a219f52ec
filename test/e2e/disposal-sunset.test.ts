// SPDX-License-Identifier: Apache-2.0
/**
 * Scenario (a), the programme sunset: `disposal plan --retire all` on a seeded city, end to end
 * through the CLI on both engines — plan, review, approve, a citizen's certificate request, run,
 * a waiting second run, third-party acknowledgment, verification with canaries, certificates
 * checked offline, report and notice (DOMAIN.md §6 req. 11–18).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import {
  addRecipient,
  expectCode,
  canaryIdNumber,
  canaryPhone,
  json,
  plantOutboxMessage,
  screenshot,
  seedCity,
  signAck,
} from './disposal-harness.js';

for (const dialect of DIALECTS) {
  describe(`disposal: programme sunset on ${dialect}`, () => {
    it(
      'retires everything, proves it, and certifies the exact counts',
      { timeout: 300_000 },
      async () => {
        const city = await seedCity(dialect);
        try {
          const plan = join(city.dir, 'plan.yaml');
          // A plaintext residue the run must remove: a pending one-time code to a canary's phone.
          plantOutboxMessage(city, canaryPhone(city));
          const cloud = await addRecipient(city, 'cloud-vendor', 'processor');
          const rowsBefore = await city.count('select count(*) as n from vault_record');
          const subjectsBefore = await city.count('select count(*) as n from vault_subject');
          expect(rowsBefore).toBeGreaterThan(0);

          await expectCode(city.cli(['disposal', 'plan', '--retire', 'all', '--out', plan]), 0);
          await expectCode(city.cli(['disposal', 'approve', plan, '--by', 'alice']), 0);

          // Before the bulk run a citizen asks for a certificate (ID number on stdin, never argv).
          const req = json<{ retrievalCode: string }>(
            await city.cli(['disposal', 'certificate', 'request', plan, '--id-stdin', '--json'], {
              stdin: `${canaryIdNumber(city)}\n`,
            }),
          );
          expect(req.retrievalCode).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);

          // Two runs started at the same instant: one executes, the other waits for its lock.
          const together = city.step();
          const [first, second] = await Promise.all([
            city.cli(['disposal', 'run', plan, '--batch', '7'], { now: together }),
            city.cli(['disposal', 'run', plan, '--batch', '7'], { now: together }),
          ]);
          expect([first.code, second.code], `${first.stderr}${second.stderr}`).toEqual([0, 0]);
          const again = await city.cli(['disposal', 'run', plan]);
          expect(again.code).toBe(0);
          expect(again.stdout).toContain('nothing to do');

          const st = json<{
            state: string;
            done: number;
            total: number;
            pendingAcks: string[];
            planId: string;
          }>(await city.cli(['disposal', 'status', plan, '--json']));
          expect(st).toMatchObject({
            state: 'awaiting-acks',
            done: subjectsBefore,
            total: subjectsBefore,
            pendingAcks: ['cloud-vendor'],
          });
          // Pending acknowledgments are reported but do not fail verification.
          const v = await city.cli([
            'disposal',
            'verify',
            plan,
            '--canaries',
            city.canaryFile,
            '--json',
          ]);
          expect(v.code).toBe(0);
          expect(json<{ pendingAcks: string[]; canaryScan: { hits: number } }>(v)).toMatchObject({
            pendingAcks: ['cloud-vendor'],
            canaryScan: { hits: 0 },
          });
          await expectCode(
            city.cli([
              'disposal',
              'ack',
              plan,
              '--party',
              'cloud-vendor',
              '--receipt',
              signAck(city, st.planId, cloud),
            ]),
            0,
          );
          expect(
            json<{ state: string }>(await city.cli(['disposal', 'status', plan, '--json'])).state,
          ).toBe('done');

          // Ground truth: nothing of anyone is left; no data key is live.
          expect(await city.count('select count(*) as n from vault_record')).toBe(0);
          expect(await city.count('select count(*) as n from vault_subject')).toBe(0);

          // The plan certificate: exact counts, offline-checkable, no personal data.
          const pc = join(city.dir, 'plan-certificate.json');
          await expectCode(city.cli(['disposal', 'certificate', 'plan', plan, '--out', pc]), 0);
          const cert = JSON.parse(readFileSync(pc, 'utf8')) as {
            certificate: {
              what: { recordsErased: number }[];
              execution: { subjects: number; subjectsWhollyErased: number };
            };
          };
          expect(cert.certificate.what.reduce((a, w) => a + w.recordsErased, 0)).toBe(rowsBefore);
          expect(cert.certificate.execution).toMatchObject({
            subjects: subjectsBefore,
            subjectsWhollyErased: subjectsBefore,
          });
          await expectCode(city.cli(['audit', 'check-proof', pc]), 0);
          await expectCode(city.cli(['disposal', 'certificate', 'check', pc]), 0);
          const sc = join(city.dir, 'subject-certificate.json');
          await expectCode(
            city.cli(['disposal', 'certificate', 'get', '--out', sc], {
              stdin: `${req.retrievalCode}\n`,
            }),
            0,
          );
          await expectCode(city.cli(['audit', 'check-proof', sc]), 0);
          await expectCode(city.cli(['disposal', 'certificate', 'check', sc]), 0);

          const html = join(city.dir, 'report.html');
          const notice = join(city.dir, 'notice.html');
          await expectCode(
            city.cli(['disposal', 'report', plan, '--html', html, '--notice', notice]),
            0,
          );
          expect(readFileSync(notice, 'utf8')).toContain('个人信息删除公告');
          // One residual scan for all of it: the whole data dir, both certificates, report and
          // notice — no canary in any encoding.
          await expectCode(
            city.cli(['scan', '--canaries', city.canaryFile, city.data, pc, sc, html, notice]),
            0,
          );
          const shot = await screenshot(html, join(city.dir, 'report.png'));
          if (shot !== undefined) {
            expect(shot.title).toContain('Disposal report');
            expect(shot.svgs).toBeGreaterThanOrEqual(3);
            expect(shot.bytes).toBeGreaterThan(10_000);
          }
        } finally {
          await city.cleanup();
        }
      },
    );
  });
}
