// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { renderReportHtml, type ReportData } from './report-html.js';
import { renderNoticeHtml } from './notice.js';
import { renderReview } from './review.js';
import { groupedBars, progressLine, esc } from './charts.js';
import { samplePlan } from './testing.js';
import type { PlanStatus } from './service.js';

const status: PlanStatus = {
  state: 'awaiting-acks',
  done: 3,
  total: 3,
  planId: samplePlan().id,
  planSha256: 'ab'.repeat(32),
  approvals: { valid: ['alice'], required: 1, problems: [] },
  startedAt: '2026-12-01T00:00:00.000Z',
  executedAt: '2026-12-01T00:01:00.000Z',
  certificateId: 'c1',
  pendingAcks: ['cloud'],
  acknowledged: [],
  openExemptions: [{ appliesTo: 'store:db:audit_leaves', endDate: '2027-06-01', subjects: 0 }],
  lastVerification: { at: '2026-12-01T00:02:00.000Z', ok: true },
};

const data: ReportData = {
  plan: { ...samplePlan(), title: 'Retire <script>alert(1)</script>' },
  status,
  generatedAt: '2026-12-02T00:00:00.000Z',
  synthetic: true,
  before: {
    'db:vault_record': { identity: 3, 'test-results': 5 },
    'db:consent_current': { '*': 4 },
  },
  after: { 'db:vault_record': {}, 'db:consent_current': { '*': 0 } },
  progress: [
    { at: Date.parse('2026-12-01T00:00:00Z'), done: 0 },
    { at: Date.parse('2026-12-01T00:00:30Z'), done: 3 },
  ],
  verifications: [
    {
      at: '2026-12-01T00:02:00.000Z',
      ok: true,
      subjectsChecked: 3,
      keysPresent: 0,
      rowsRemaining: 0,
      canaryHits: 0,
      files: 9,
      problems: [],
    },
  ],
  certificate: null,
  acks: [
    { party: 'cloud', name: 'Cloud vendor', sentAt: '2026-12-01T00:01:00.000Z', ackedAt: null },
  ],
};

describe('report and notice rendering', () => {
  it('renders a self-contained page with charts, escaping every text', () => {
    const html = renderReportHtml(data);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Retire &lt;script&gt;');
    expect(html).not.toMatch(/<(link|script|img)\b/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('PENDING');
    expect(html).toContain('2027-06-01');
    expect(html).toContain('Synthetic instance');
    expect(html).toContain('@media print');
  });

  it('writes the public notice in Chinese and English (GB/T 35273 §6.4)', () => {
    const html = renderNoticeHtml({
      plan: samplePlan(),
      executedAt: '2026-12-01T00:01:00.000Z',
      subjects: 3,
      synthetic: false,
    });
    expect(html).toContain('个人信息删除公告');
    expect(html).toContain('Notice of personal-data deletion');
    expect(html).toContain('第四十七条');
    expect(html).toContain('核酸/抗原检测结果');
  });

  it('reviews a plan in plain text with its problems', () => {
    const text = renderReview(
      samplePlan(),
      'ab',
      [{ code: 'ERR_DISPOSAL_PLAN_INVALID', where: 'actions.0', message: 'broken' }],
      {
        valid: [],
        problems: [],
        required: 2,
        sufficient: false,
      },
    );
    expect(text).toContain('Approvals: 0 of 2 required');
    expect(text).toContain('! actions.0: broken');
    expect(text).toContain('test-results');
  });

  it('charts cope with no data', () => {
    expect(groupedBars('x', ['a'], [])).toContain('no data');
    expect(progressLine('p', [], 0)).toContain('has not run');
    expect(esc(`"'<&>`)).toBe('&quot;&#39;&lt;&amp;&gt;');
  });
});
