// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileOutbox } from './file-outbox.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hc-outbox-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('file outbox', () => {
  it('writes one 0600 JSON file per message with to, code, purpose and expires', async () => {
    const box = new FileOutbox(join(root, 'outbox'));
    const expires = new Date('2026-03-01T00:05:00Z');
    const id = await box.send({ to: '+8613800138000', purpose: 'login', expires, code: '012345' });
    const file = join(root, 'outbox', `${id}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      id,
      to: '+8613800138000',
      purpose: 'login',
      expires: '2026-03-01T00:05:00.000Z',
      code: '012345',
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(root, 'outbox'))).toEqual([`${id}.json`]);
    const notice = await box.send({
      to: '+8613800138000',
      purpose: 'deletion-notice',
      expires,
      text: 'Your data was deleted.',
    });
    expect((await box.list()).map((m) => m.id).sort()).toEqual([id, notice].sort());
    await box.withdraw(id);
    await box.withdraw(id); // idempotent
    expect((await box.list()).map((m) => m.id)).toEqual([notice]);
  });

  it('purges expired messages and torn files, keeping live ones', async () => {
    const dir = join(root, 'outbox');
    const box = new FileOutbox(dir);
    const now = new Date('2026-03-01T00:00:00Z');
    const old = await box.send({
      to: '+8613800138000',
      purpose: 'login',
      expires: now,
      code: '111111',
    });
    const live = await box.send({
      to: '+8613800138001',
      purpose: 'login',
      expires: new Date(now.getTime() + 1000),
      code: '222222',
    });
    writeFileSync(join(dir, 'torn.json'), '{"to":"+86138');
    expect(await box.purgeExpired(now)).toEqual({ deleted: 2, kept: 1 });
    expect(readdirSync(dir)).toEqual([`${live}.json`]);
    expect(readdirSync(dir)).not.toContain(`${old}.json`);
    expect(await new FileOutbox(join(root, 'none')).purgeExpired(now)).toEqual({
      deleted: 0,
      kept: 0,
    });
  });

  it('refuses malformed messages', async () => {
    const box = new FileOutbox(join(root, 'outbox'));
    const expires = new Date('2026-03-01T00:05:00Z');
    const cases = [
      { to: '', purpose: 'login', expires, code: '123456' },
      { to: '+8613800138000', purpose: 'Bad Purpose', expires, code: '123456' },
      { to: '+8613800138000', purpose: 'login', expires: new Date(NaN), code: '123456' },
      { to: '+8613800138000', purpose: 'login', expires, code: '12345' },
      { to: '+8613800138000', purpose: 'login', expires },
    ];
    for (const m of cases) {
      await expect(box.send(m)).rejects.toMatchObject({ code: 'ERR_OUTBOX_MESSAGE' });
    }
    await expect(box.withdraw('../x')).rejects.toBeInstanceOf(RangeError);
  });
});
