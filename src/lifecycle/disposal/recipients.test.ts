// SPDX-License-Identifier: Apache-2.0
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ackSigningBytes, checkAck, normalisePublicKey } from './recipients.js';
import { AckInvalidError, RecipientInvalidError } from './errors.js';
import { holderDead } from './lock.js';
import { eraseRequest, wholeGroups, coarseValue } from './vault-target.js';
import { FILE_KINDS } from './catalogue.js';

describe('deletion acknowledgments', () => {
  const pair = generateKeyPairSync('ed25519');
  const pk = normalisePublicKey(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const body = {
    kind: 'healthcode/deletion-ack' as const,
    noticeId: 'n1',
    planId: 'p1',
    party: 'cloud',
    deletedAt: '2026-12-03T10:00:00+08:00',
  };
  const signed = JSON.stringify({
    ...body,
    signature: sign(null, ackSigningBytes(body), pair.privateKey).toString('base64'),
  });
  const expectOk = { planId: 'p1', party: 'cloud', noticeId: 'n1', publicKey: pk };

  it('accepts the party’s signature and nothing else', () => {
    expect(checkAck(signed, expectOk).deletedAt).toBe(body.deletedAt);
    expect(() => checkAck(signed, { ...expectOk, party: 'lab' })).toThrow(AckInvalidError);
    expect(() => checkAck(signed.replace('2026-12-03', '2026-12-04'), expectOk)).toThrow(
      /does not verify/,
    );
    expect(() => checkAck(signed, { ...expectOk, publicKey: null })).toThrow(/no registered key/);
    expect(() => checkAck('nope', expectOk)).toThrow(AckInvalidError);
  });

  it('takes only Ed25519 keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => normalisePublicKey(rsa)).toThrow(RecipientInvalidError);
    expect(() => normalisePublicKey('garbage')).toThrow(RecipientInvalidError);
  });
});

describe('plan locks', () => {
  const row = {
    plan_id: 'p',
    holder: 'h',
    pid: process.pid,
    host: 'this-host',
    acquired_at: 0,
    heartbeat_at: 1_000,
  };
  it('sees a live holder on this host, a dead pid, and a stale heartbeat anywhere', () => {
    expect(holderDead(row, 2_000, 60_000, 'this-host')).toBe(false);
    expect(holderDead({ ...row, pid: 2 ** 22 + 11 }, 2_000, 60_000, 'this-host')).toBe(true);
    expect(holderDead({ ...row, host: 'elsewhere' }, 2_000, 60_000, 'this-host')).toBe(false);
    expect(holderDead({ ...row, host: 'elsewhere' }, 200_000, 60_000, 'this-host')).toBe(true);
  });
});

describe('vault erase requests', () => {
  it('erases whole groups the subject loses entirely, single categories otherwise', () => {
    expect(
      wholeGroups(['identity', 'contact', 'test-results'], ['contact', 'test-results']),
    ).toEqual(['certification']);
    expect(
      eraseRequest({
        subjectId: 's',
        held: ['identity', 'contact', 'test-results'],
        decision: {
          erase: ['contact', 'test-results'],
          restrict: [],
          keep: ['identity'],
          wholeSubject: false,
        },
      }),
    ).toEqual({
      subjectId: 's',
      groups: ['certification'],
      categories: ['contact'],
    });
    expect(
      eraseRequest({
        subjectId: 's',
        decision: { erase: ['identity'], restrict: [], keep: [], wholeSubject: true },
      }),
    ).toEqual({ subjectId: 's' });
    expect(
      eraseRequest({
        subjectId: 's',
        decision: { erase: [], restrict: ['identity'], keep: [], wholeSubject: false },
      }),
    ).toBeUndefined();
  });

  it('anonymisation keeps coarse values only', () => {
    expect(coarseValue('temperature', { celsius: 38.1, at: 'x' })).toBe('fever');
    expect(coarseValue('test-results', { kind: 'antigen', result: 'negative', lab: 'L' })).toBe(
      'antigen:negative',
    );
    expect(coarseValue('identity', { name: '张三丰五' })).toBe('record');
  });
});

describe('file kinds', () => {
  const kind = (path: string) => FILE_KINDS.find((k) => k.match.test(path))?.id;
  it('classifies every file the code writes under a data dir', () => {
    expect(kind('healthcode.db-wal')).toBe('file:database');
    expect(kind('keys/keystore.sqlite-shm')).toBe('file:key-store');
    expect(kind('outbox/0b7c2d7e.json')).toBe('file:outbox');
    expect(kind('reports/disposal/p/certificate-c.json')).toBe('file:reports');
    expect(kind('.config.json.ab12.tmp')).toBe('file:temp');
    expect(kind('somewhere/else.bin')).toBeUndefined();
  });
});
