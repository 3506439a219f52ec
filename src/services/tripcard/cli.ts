// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the `tripcard` commands (loaded lazily by commands.ts): ingest a
 * carrier file with a reject file beside it, query the card by phone (stdin) and one-time code,
 * and purge. Output is counts and the card; personal data only ever comes from stdin.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CommandEnv } from '../../platform/runtime/cli-kit.js';
import {
  printJson,
  readStdinValue,
  withStore,
  EXIT_NEGATIVE,
  EXIT_OK,
} from '../../platform/runtime/cli-kit.js';
import { outboxErrors } from '../../foundation/outbox/index.js';
import { formatOf, readRecords } from './reader.js';
import { openTripcard } from './service.js';

export interface IngestCliOptions {
  readonly carrier?: string;
  readonly cells?: string;
  readonly rejects?: string;
  readonly json?: boolean;
}

export async function ingestCommand(
  env: CommandEnv,
  file: string,
  opts: IngestCliOptions,
): Promise<number> {
  const format = formatOf(file);
  const rejectsPath = opts.rejects ?? `${file}.rejects.ndjson`;
  return withStore(env, async (store) => {
    const tc = await openTripcard(store);
    const out = createWriteStream(rejectsPath, { mode: 0o600 });
    let bar: { update(n: number): void; stop(): void } | undefined;
    if (process.stderr.isTTY && opts.json !== true) {
      const { SingleBar, Presets } = await import('cli-progress');
      const b = new SingleBar(
        { format: 'ingest {value} records', stream: process.stderr },
        Presets.shades_classic,
      );
      b.start(0, 0);
      bar = b;
    }
    try {
      const summary = await tc.ingest(readRecords(file, format), {
        lines: true,
        ...(opts.carrier === undefined ? {} : { carrier: opts.carrier }),
        ...(opts.cells === undefined ? {} : { cellsFile: opts.cells }),
        onReject: async (line, reason) => {
          if (!out.write(`${JSON.stringify({ line, reason })}\n`)) {
            await once(out, 'drain');
          }
        },
        onProgress: (n) => bar?.update(n),
      });
      bar?.stop();
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      if (opts.json === true) {
        printJson({ ...summary, rejects: rejectsPath });
      } else {
        process.stdout.write(
          `ingested ${summary.loaded} events (${summary.duplicates} duplicates, ${summary.rejected} rejected → ${rejectsPath}) for ${summary.subscribers} subscribers\n`,
        );
      }
      return EXIT_OK;
    } finally {
      bar?.stop();
      out.end();
      tc.close();
      await tc.finish();
    }
  });
}

export async function queryCommand(
  env: CommandEnv,
  opts: { otp?: string; json?: boolean },
): Promise<number> {
  const phone = await readStdinValue('a phone number');
  return withStore(env, async (store) => {
    const tc = await openTripcard(store);
    try {
      if (opts.otp === undefined) {
        await tc.requestCode(phone);
        if (opts.json === true) {
          printJson({ sent: true });
        } else {
          process.stdout.write('if this number has a trip card, a one-time code was sent to it\n');
        }
        return EXIT_OK;
      }
      try {
        const card = await tc.itinerary(phone, opts.otp);
        if (opts.json === true) {
          printJson(card);
        } else if (card.cities.length === 0) {
          process.stdout.write('no city with a stay over 4 hours in the last 14 days\n');
        } else {
          for (const c of card.cities) {
            process.stdout.write(
              `${c.lastSeen}  ${'region' in c ? c.region : c.country}  ${c.name}${c.risk ? ' *' : ''}\n`,
            );
          }
        }
        return EXIT_OK;
      } catch (err) {
        // A wrong, expired or replayed code is a negative verdict, not a usage error.
        if (
          err instanceof outboxErrors.CodeInvalidError ||
          err instanceof outboxErrors.CodeExpiredError ||
          err instanceof outboxErrors.CodeUsedError
        ) {
          process.stderr.write(`healthcode: ${err.message} [${err.code}]\n`);
          return EXIT_NEGATIVE;
        }
        throw err;
      }
    } finally {
      tc.close();
      await tc.finish();
    }
  });
}

export async function purgeCommand(env: CommandEnv, opts: { json?: boolean }): Promise<number> {
  return withStore(env, async (store) => {
    const tc = await openTripcard(store);
    try {
      const r = await tc.purge('operator:cli');
      if (opts.json === true) {
        printJson({ purged: r.purged });
      } else {
        process.stdout.write(`purged ${r.purged} events of days before ${r.before}\n`);
      }
      return EXIT_OK;
    } finally {
      tc.close();
      await tc.finish();
    }
  });
}
