// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the `tripcard` commands (loaded lazily by commands.ts): ingest a
 * carrier file with a reject file beside it, query the card by phone (stdin) and one-time code,
 * and purge. Output is counts and the card; personal data only ever comes from stdin.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CommandEnv, CommandOutcome } from '../../platform/runtime/cli-kit.js';
import { ok, readStdinValue, withStore, EXIT_NEGATIVE } from '../../platform/runtime/cli-kit.js';
import { outboxErrors } from '../../foundation/outbox/index.js';
import { formatOf, readRecords } from './reader.js';
import { openTripcard } from './service.js';
import type { TripcardPorts } from './ports.js';

export interface IngestCliOptions {
  readonly carrier?: string;
  readonly cells?: string;
  readonly rejects?: string;
  readonly json?: boolean;
}

export async function ingestCommand(
  ports: TripcardPorts,
  env: CommandEnv,
  file: string,
  opts: IngestCliOptions,
): Promise<CommandOutcome> {
  const format = formatOf(file);
  const rejectsPath = opts.rejects ?? `${file}.rejects.ndjson`;
  return withStore(env, async (store) => {
    const tc = await openTripcard(store, ports);
    const out = createWriteStream(rejectsPath, { mode: 0o600 });
    let bar: { update(n: number): void; stop(): void } | undefined;
    if (process.stderr.isTTY && opts.json !== true) {
      // cli-progress loads only when a progress bar is drawn (a terminal on stderr).
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
      return ok(
        { ...summary, rejects: rejectsPath },
        `ingested ${summary.loaded} events (${summary.duplicates} duplicates, ${summary.rejected} rejected → ${rejectsPath}) for ${summary.subscribers} subscribers`,
      );
    } finally {
      bar?.stop();
      out.end();
      tc.close();
      await tc.finish();
    }
  });
}

export async function queryCommand(
  ports: TripcardPorts,
  env: CommandEnv,
  opts: { otp?: string },
): Promise<CommandOutcome> {
  const phone = await readStdinValue('a phone number');
  return withStore(env, async (store) => {
    const tc = await openTripcard(store, ports);
    try {
      if (opts.otp === undefined) {
        await tc.requestCode(phone);
        return ok({ sent: true }, 'if this number has a trip card, a one-time code was sent to it');
      }
      try {
        const card = await tc.itinerary(phone, opts.otp);
        return ok(
          card,
          card.cities.length === 0
            ? 'no city with a stay over 4 hours in the last 14 days'
            : card.cities.map(
                (c) =>
                  `${c.lastSeen}  ${'region' in c ? c.region : c.country}  ${c.name}${c.risk ? ' *' : ''}`,
              ),
        );
      } catch (err) {
        // A wrong, expired or replayed code is a negative verdict, not a usage error.
        if (
          err instanceof outboxErrors.CodeInvalidError ||
          err instanceof outboxErrors.CodeExpiredError ||
          err instanceof outboxErrors.CodeUsedError
        ) {
          return {
            json: { verified: false, code: err.code },
            text: '',
            exitCode: EXIT_NEGATIVE,
            warnings: [`${err.message} [${err.code}]`],
          };
        }
        throw err;
      }
    } finally {
      tc.close();
      await tc.finish();
    }
  });
}

export async function purgeCommand(ports: TripcardPorts, env: CommandEnv): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const tc = await openTripcard(store, ports);
    try {
      const r = await tc.purge('operator:cli');
      return ok({ purged: r.purged }, `purged ${r.purged} events of days before ${r.before}`);
    } finally {
      tc.close();
      await tc.finish();
    }
  });
}
