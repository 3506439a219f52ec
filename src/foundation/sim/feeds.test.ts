// SPDX-License-Identifier: Apache-2.0
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCarrierFeeds } from './feeds.js';
import { generatePopulation } from './generator.js';
import type { SyntheticRecord, SyntheticResident } from './model.js';

const root = mkdtempSync(join(tmpdir(), 'hc-sim-feeds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeCarrierFeeds', () => {
  it("writes each carrier's events (NDJSON) and real-name register (CSV)", async () => {
    const options = { people: 400, days: 2, seed: 11, end: new Date('2026-03-10T20:00:00+08:00') };
    const records: SyntheticRecord[] = [];
    for (const b of generatePopulation(options)) {
      records.push(...b);
    }
    const counts = await writeCarrierFeeds(generatePopulation(options), root);
    expect(readdirSync(root).sort()).toEqual([
      'cmcc-events.ndjson',
      'cmcc-subscribers.csv',
      'ctcc-events.ndjson',
      'ctcc-subscribers.csv',
      'cucc-events.ndjson',
      'cucc-subscribers.csv',
    ]);
    const residents = records.flatMap((r) => (r.type === 'resident' ? [r.resident] : []));
    const byPhone = new Map<string, SyntheticResident>();
    for (const r of residents) {
      byPhone.set(r.phone, r);
      if (r.secondPhone) {
        byPhone.set(r.secondPhone.phone, r);
      }
    }
    let total = 0;
    for (const carrier of ['cmcc', 'cucc', 'ctcc'] as const) {
      const lines = readFileSync(join(root, `${carrier}-events.ndjson`), 'utf8')
        .trimEnd()
        .split('\n');
      expect(lines.length).toBe(counts[carrier].events);
      total += lines.length;
      for (const line of lines) {
        const e = JSON.parse(line) as Record<string, string>;
        expect(Object.keys(e)).toEqual(['id', 'phone', 'time', 'cell']);
        const owner = byPhone.get(e.phone)!;
        const sim = owner.phone === e.phone ? owner.carrier : owner.secondPhone!.carrier;
        expect(sim).toBe(carrier);
      }
      const register = readFileSync(join(root, `${carrier}-subscribers.csv`), 'utf8')
        .trimEnd()
        .split('\n');
      expect(register[0]).toBe('id_number,phone');
      expect(register.length - 1).toBe(counts[carrier].subscribers);
      for (const row of register.slice(1)) {
        const [id, phone] = row.split(',');
        expect(byPhone.get(phone)!.idNumber).toBe(id);
      }
    }
    const events = records.reduce(
      (n, r) => n + (r.type === 'location-events' ? r.events.length : 0),
      0,
    );
    expect(total).toBe(events);
    // People with two SIMs are in two registers: what PSI between carriers counts.
    const twoSims = residents.filter((r) => r.secondPhone).length;
    const rows = counts.cmcc.subscribers + counts.cucc.subscribers + counts.ctcc.subscribers;
    expect(rows).toBe(residents.length + twoSims);
  });
});
