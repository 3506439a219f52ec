// SPDX-License-Identifier: Apache-2.0
/**
 * @module What each carrier would hold, written outside the data dir (issue 8 item 5): its
 * subscribers' cell events as NDJSON (`{ "id", "phone", "time", "cell" }`, one per line) and its
 * real-name subscriber register (`id_number,phone` CSV; the Counter-Terrorism Law art. 21 and
 * the Cybersecurity Law art. 24 require carriers to register subscribers by identity). Files are
 * streamed with back-pressure, so any population size fits in constant memory.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { CarrierId, SyntheticRecord } from './model.js';
import { CARRIERS } from './context.js';

/** Per-carrier counts of what was written. */
export type FeedCounts = Record<CarrierId, { events: number; subscribers: number }>;

async function put(stream: WriteStream, text: string): Promise<void> {
  if (text !== '' && !stream.write(text)) {
    await once(stream, 'drain');
  }
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/** Streams record batches into the six carrier files under `outDir`. */
export class CarrierFeedWriter {
  readonly #events: Record<CarrierId, WriteStream>;
  readonly #registers: Record<CarrierId, WriteStream>;
  readonly counts: FeedCounts;

  constructor(outDir: string) {
    mkdirSync(outDir, { recursive: true });
    const open = (name: string) => createWriteStream(join(outDir, name), { mode: 0o600 });
    this.#events = {} as Record<CarrierId, WriteStream>;
    this.#registers = {} as Record<CarrierId, WriteStream>;
    this.counts = {} as FeedCounts;
    for (const c of CARRIERS) {
      this.#events[c] = open(`${c}-events.ndjson`);
      this.#registers[c] = open(`${c}-subscribers.csv`);
      this.#registers[c].write('id_number,phone\n');
      this.counts[c] = { events: 0, subscribers: 0 };
    }
  }

  async write(batch: readonly SyntheticRecord[]): Promise<void> {
    const events: Record<CarrierId, string[]> = { cmcc: [], cucc: [], ctcc: [] };
    const subs: Record<CarrierId, string[]> = { cmcc: [], cucc: [], ctcc: [] };
    for (const r of batch) {
      if (r.type === 'resident') {
        const p = r.resident;
        subs[p.carrier].push(`${p.idNumber},${p.phone}\n`);
        this.counts[p.carrier].subscribers++;
        if (p.secondPhone !== undefined) {
          subs[p.secondPhone.carrier].push(`${p.idNumber},${p.secondPhone.phone}\n`);
          this.counts[p.secondPhone.carrier].subscribers++;
        }
      } else if (r.type === 'location-events') {
        const lines = events[r.carrier];
        // Ids, phones, times and H3 indexes need no JSON escaping; JSON.stringify per event
        // would cost a third of the writer's time.
        const head = `","phone":"${r.phone}","time":"`;
        for (const e of r.events) {
          lines.push(`{"id":"${e.id}${head}${e.time}","cell":"${e.cell}"}\n`);
        }
        this.counts[r.carrier].events += r.events.length;
      }
    }
    for (const c of CARRIERS) {
      await put(this.#events[c], events[c].join(''));
      await put(this.#registers[c], subs[c].join(''));
    }
  }

  async close(): Promise<FeedCounts> {
    for (const c of CARRIERS) {
      await close(this.#events[c]);
      await close(this.#registers[c]);
    }
    return this.counts;
  }
}

/**
 * Writes the carrier feeds of a population (batches or single records, sync or async) to
 * `outDir`: `<carrier>-events.ndjson` and `<carrier>-subscribers.csv` for cmcc, cucc and ctcc.
 *
 * @example
 * await writeCarrierFeeds(generatePopulation({ people: 1000, days: 14, seed: 7, end }), '/tmp/feeds');
 */
export async function writeCarrierFeeds(
  records:
    | Iterable<SyntheticRecord | readonly SyntheticRecord[]>
    | AsyncIterable<SyntheticRecord | readonly SyntheticRecord[]>,
  outDir: string,
): Promise<FeedCounts> {
  const writer = new CarrierFeedWriter(outDir);
  try {
    for await (const item of records) {
      await writer.write(Array.isArray(item) ? item : [item as SyntheticRecord]);
    }
  } finally {
    await writer.close();
  }
  return writer.counts;
}
