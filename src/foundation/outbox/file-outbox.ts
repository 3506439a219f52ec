// SPDX-License-Identifier: Apache-2.0
/**
 * @module The file outbox: stands in for an SMS gateway (docs/outbox.md) by writing one JSON
 * message per file in `DIR/outbox/` (`to`, `code`, `purpose`, `expires`). Files are written
 * atomically with mode 0600, deleted when their code is used or expires (issue 3 item 11), and
 * swept by the `outbox.purge` job, so no personal data stays in the data dir longer than needed.
 */
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OutboxMessageError } from './errors.js';
import { assertPurpose, isCodeShape, type Outbox, type OutboxMessage } from './model.js';

/** The JSON document of one message file. */
export interface OutboxFile {
  readonly id: string;
  readonly to: string;
  readonly purpose: string;
  /** RFC 3339, UTC. */
  readonly expires: string;
  readonly code?: string;
  readonly text?: string;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class FileOutbox implements Outbox {
  readonly dir: string;

  /** @param dir the outbox folder, normally `store.paths.outbox` (`DIR/outbox`). */
  constructor(dir: string) {
    this.dir = dir;
  }

  async send(message: OutboxMessage): Promise<string> {
    assertPurpose(message.purpose);
    if (typeof message.to !== 'string' || message.to.length === 0 || message.to.length > 64) {
      throw new OutboxMessageError('a message needs a recipient');
    }
    if (!(message.expires instanceof Date) || Number.isNaN(message.expires.getTime())) {
      throw new OutboxMessageError('a message needs an expiry time');
    }
    if (message.code !== undefined && !isCodeShape(message.code)) {
      throw new OutboxMessageError('a one-time code has six digits');
    }
    if (message.code === undefined && (message.text === undefined || message.text === '')) {
      throw new OutboxMessageError('a message carries a code or a text');
    }
    const id = randomUUID();
    const doc: OutboxFile = {
      id,
      to: message.to,
      purpose: message.purpose,
      expires: message.expires.toISOString(),
      ...(message.code === undefined ? {} : { code: message.code }),
      ...(message.text === undefined ? {} : { text: message.text }),
    };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Write a temp file, fsync, then rename: a reader never sees half a message.
    const tmp = join(this.dir, `.${id}.tmp`);
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(JSON.stringify(doc) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, `${id}.json`));
    return id;
  }

  async withdraw(id: string): Promise<void> {
    if (!ID.test(id)) {
      throw new RangeError('"id" expected an outbox message id');
    }
    await unlink(join(this.dir, `${id}.json`)).catch(ignoreMissing);
  }

  /** Every message in the outbox (what a gateway worker would pick up), oldest expiry first. */
  async list(): Promise<OutboxFile[]> {
    const out: OutboxFile[] = [];
    for (const name of await this.#names()) {
      const doc = await this.#read(name);
      if (doc !== undefined) {
        out.push(doc);
      }
    }
    return out.sort((a, b) => a.expires.localeCompare(b.expires));
  }

  /**
   * Deletes every message whose expiry has passed, and stale temp files. Unparseable files are
   * deleted too: they can only be torn writes of messages, and must not linger.
   */
  async purgeExpired(now: Date): Promise<{ deleted: number; kept: number }> {
    let deleted = 0;
    let kept = 0;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return { deleted, kept };
      }
      throw err;
    }
    for (const name of names) {
      const path = join(this.dir, name);
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        // A temp file older than a minute is a crashed write; a younger one may be in flight.
        // One that cannot be checked is kept (the safe side) until a later purge.
        const st = await stat(path).catch(() => undefined);
        if (st !== undefined && st.mtimeMs < Date.now() - 60_000) {
          await unlink(path).catch(ignoreMissing);
          deleted++;
        }
        continue;
      }
      if (!name.endsWith('.json')) {
        continue;
      }
      const doc = await this.#read(name);
      if (doc === undefined || Date.parse(doc.expires) <= now.getTime()) {
        await unlink(path).catch(ignoreMissing);
        deleted++;
      } else {
        kept++;
      }
    }
    return { deleted, kept };
  }

  async #names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw err;
    }
  }

  /**
   * A message, or `undefined` for one that is gone or torn (not JSON, no valid expiry): those are
   * garbage a purge may delete. Any other read error (EIO, EACCES…) is thrown, so a message the
   * outbox cannot read is never deleted as if it were torn.
   */
  async #read(name: string): Promise<OutboxFile | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw err;
    }
    let doc: OutboxFile;
    try {
      doc = JSON.parse(text) as OutboxFile;
    } catch (err) {
      if (err instanceof SyntaxError) {
        return undefined;
      }
      throw err;
    }
    return typeof doc?.expires === 'string' && !Number.isNaN(Date.parse(doc.expires))
      ? doc
      : undefined;
  }
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
    throw err;
  }
}
