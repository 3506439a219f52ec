// SPDX-License-Identifier: Apache-2.0
/**
 * Bad input (issue 7): a plan that exempts without a legal source or end date, one approved by an
 * unregistered operator or twice by one when two are required, one naming unknown stores, one
 * edited after approval, and an unknown retirement — each rejected with its reason, nothing run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { day } from '../support/clock.js';
import { editPlan, expectCode, seedCity } from './disposal-harness.js';

type Plan = Record<string, unknown> & {
  actions: Record<string, unknown>[];
  stores: Record<string, unknown>[];
  approvals: unknown[];
};

describe('disposal: bad plans are rejected with their reason', () => {
  it(
    'refuses broken exemptions, foreign approvals, unknown stores and edits after approval',
    { timeout: 600_000 },
    async () => {
      const city = await seedCity('sqlite');
      try {
        const base = join(city.dir, 'base.json');
        await expectCode(city.cli(['disposal', 'plan', '--retire', 'all', '--out', base]), 0);
        const variant = (name: string, edit: (p: Plan) => void) => {
          const file = join(city.dir, `${name}.json`);
          writeFileSync(file, readFileSync(base));
          editPlan(file, (p) => edit(p as Plan));
          return file;
        };
        const retain = (exemption: Record<string, string>) => (p: Plan) => {
          p.actions[0] = { category: p.actions[0].category, action: 'retain', exemption };
        };
        const noSource = variant(
          'no-source',
          retain({
            kind: 'statutory-retention',
            name: 'x',
            endDate: day(365),
            approver: 'alice',
          }),
        );
        expect(
          (await expectCode(city.cli(['disposal', 'approve', noSource, '--by', 'alice']), 2))
            .stderr,
        ).toMatch(/legal source.*ERR_DISPOSAL_EXEMPTION_INVALID/);
        const noEnd = variant(
          'no-end',
          retain({
            kind: 'statutory-retention',
            name: 'x',
            legalSource: 'CSL art. 21',
            approver: 'alice',
          }),
        );
        expect(
          (await expectCode(city.cli(['disposal', 'approve', noEnd, '--by', 'alice']), 2)).stderr,
        ).toMatch(/end date/);
        const strangerApprover = variant(
          'stranger',
          retain({
            kind: 'statutory-retention',
            name: 'x',
            legalSource: 'CSL art. 21',
            endDate: day(365),
            approver: 'mallory',
          }),
        );
        expect(
          (
            await expectCode(
              city.cli(['disposal', 'approve', strangerApprover, '--by', 'alice']),
              2,
            )
          ).stderr,
        ).toMatch(/mallory.*not a registered operator/);
        const unknownStore = variant('unknown-store', (p) =>
          p.stores.push({ store: 'db:shadow_copy', method: 'physical-deletion' }),
        );
        expect(
          (await expectCode(city.cli(['disposal', 'approve', unknownStore, '--by', 'alice']), 2))
            .stderr,
        ).toMatch(/db:shadow_copy.*not in the inventory.*ERR_DISPOSAL_STORE_UNKNOWN/);
        expect(
          (await expectCode(city.cli(['disposal', 'approve', base, '--by', 'mallory']), 2)).stderr,
        ).toMatch(/not a registered operator/);
        expect((await expectCode(city.cli(['disposal', 'run', base]), 2)).stderr).toMatch(
          /ERR_DISPOSAL_NOT_APPROVED/,
        );
        expect(
          (
            await expectCode(
              city.cli([
                'disposal',
                'plan',
                '--retire',
                'no-such-thing',
                '--out',
                join(city.dir, 'x.json'),
              ]),
              2,
            )
          ).stderr,
        ).toMatch(/ERR_DISPOSAL_RETIRE_UNKNOWN/);
        const review = await expectCode(city.cli(['disposal', 'review', noSource]), 0);
        expect(review.stdout).toContain('cannot be approved as it stands');

        // Two approvals required: the same operator twice does not count.
        const config = join(city.data, 'config.json');
        writeFileSync(
          config,
          JSON.stringify(
            { ...JSON.parse(readFileSync(config, 'utf8')), approvalsRequired: 2 },
            null,
            2,
          ),
        );
        await expectCode(city.cli(['operator', 'add', 'bob']), 0);
        await expectCode(city.cli(['disposal', 'approve', base, '--by', 'alice']), 0);
        expect(
          (await expectCode(city.cli(['disposal', 'approve', base, '--by', 'alice']), 2)).stderr,
        ).toMatch(/already approved/);
        expect((await expectCode(city.cli(['disposal', 'run', base]), 2)).stderr).toMatch(
          /needs 2 approval/,
        );
        const twice = variant('twice', (p) => p.approvals.push(p.approvals[0]));
        expect((await expectCode(city.cli(['disposal', 'run', twice]), 2)).stderr).toMatch(
          /alice approved more than once/,
        );
        const edited = variant('edited', (p) => (p.title = 'a different plan'));
        expect(
          (await expectCode(city.cli(['disposal', 'approve', edited, '--by', 'bob']), 2)).stderr,
        ).toMatch(/edited after approval/);
        await expectCode(city.cli(['disposal', 'approve', base, '--by', 'bob']), 0);
        // Nothing ran: every subject is still there.
        expect(await city.count('select count(*) as n from disposal_runs')).toBe(0);
      } finally {
        await city.cleanup();
      }
    },
  );
});
