// SPDX-License-Identifier: Apache-2.0
/**
 * @module A person for the rights end-to-end tests, stored through the instance's real vault: a
 * citizen with all four GB/T 38962 groups (identity, contact, address, a test result, a
 * vaccination, a colour decision), a subscriber with 14 days of location events, the two linked,
 * and a consent to public transit. Invented data only, dated on the harness clock: the results a
 * week before its day, the location events on the 14 days ending four days before it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/platform/runtime/index.js';
import { currentNotices, grantConsent, consentRuntime } from '../../src/personal/consent/index.js';
import { computeIdCheckChar } from '../../src/kernel/domain/index.js';
import { day, dayAt } from '../support/clock.js';
import { instanceVault } from '../../src/edges/app/index.js';

export interface Person {
  readonly citizenId: string;
  readonly subscriberId: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly testRecordId: string;
  readonly days: readonly string[];
}

export function idNumberOf(i: number): string {
  const body = `110101198${i % 10}0101${String(100 + i).padStart(3, '0')}`;
  return body + computeIdCheckChar(body);
}

export function phoneOf(i: number): string {
  return `+86139${String(10_000_000 + i).padStart(8, '0')}`;
}

/** Stores one person (index `i`) with `days` days of location events ending on `end`. */
export async function seedPerson(store: Store, i: number, days = 14): Promise<Person> {
  const iv = await instanceVault(store);
  const repo = iv.vault.repository({
    actor: 'test:seed',
    role: 'operator',
    purpose: 'epidemic-control',
  });
  const idNumber = idNumberOf(i);
  const phone = phoneOf(i);
  const { subjectId: citizenId } = await repo.ensureCitizen(idNumber);
  await repo.put(citizenId, 'identity', { name: '测试人', idNumber, sex: '1' });
  await repo.put(citizenId, 'contact', { phone });
  await repo.put(citizenId, 'address', { householdRegion: '110101', address: '东城区某街1号' });
  const testRecordId = await repo.put(citizenId, 'test-results', {
    kind: 'antigen',
    result: 'positive',
    at: dayAt(-7, '09:00'),
  });
  await repo.put(citizenId, 'vaccination', { date: day(-3 * 365), vaccine: 'x', dose: 3 });
  await repo.put(citizenId, 'temperature', { celsius: 36.6, at: dayAt(-7, '08:00') });
  await repo.put(citizenId, 'colour-decisions', {
    colour: 'red',
    decidedAt: dayAt(-7, '10:00'),
    validUntil: dayAt(-6, '00:00'),
    ruleSet: { id: 'builtin', version: 1 },
    fired: [{ rule: 'positive-test', colour: 'red', reason: 'a positive antigen test' }],
  });
  const { subjectId: subscriberId } = await repo.ensureSubscriber(phone);
  await repo.put(subscriberId, 'contact', { phone, carrier: 'cmcc' });
  const dayList: string[] = [];
  for (let d = 0; d < days; d++) {
    const date = day(d - 17);
    dayList.push(date);
    await repo.putEntries(
      subscriberId,
      'location-events',
      date,
      Array.from({ length: 8 }, (_, k) => ({
        id: `ev-${i}-${d}-${k}`,
        time: dayAt(d - 17, `${String(8 + k).padStart(2, '0')}:00`),
        cell: '8831aa5055fffff',
      })),
    );
  }
  await repo.link(citizenId, subscriberId);
  await iv.finish();
  const rt = await consentRuntime(store);
  const policy = (await currentNotices(rt.deps)).find(
    (n) => n.kind === 'privacy-policy' && n.language === 'zh',
  )!.hash;
  await grantConsent(rt.deps, {
    subjectId: citizenId,
    purposeId: 'public-transit',
    categories: ['contact'],
    noticeHash: policy,
    actor: 'citizen:test',
  });
  await rt.finish();
  return { citizenId, subscriberId, idNumber, phone, testRecordId, days: dayList };
}

/** The newest one-time code the file outbox holds for a purpose. */
export function lastCode(outboxDir: string, purpose: string): string {
  const files = readdirSync(outboxDir).filter((f) => f.endsWith('.json'));
  const docs = files
    .map(
      (f) =>
        JSON.parse(readFileSync(join(outboxDir, f), 'utf8')) as {
          purpose: string;
          code?: string;
          expires: string;
        },
    )
    .filter((d) => d.purpose === purpose && d.code !== undefined)
    .sort((a, b) => a.expires.localeCompare(b.expires));
  const code = docs[docs.length - 1]?.code;
  if (code === undefined) {
    throw new Error(`no code for ${purpose} in the outbox`);
  }
  return code;
}
