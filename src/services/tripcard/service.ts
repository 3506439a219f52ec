// SPDX-License-Identifier: Apache-2.0
/**
 * @module The trip card as a service (issue 8; DOMAIN.md §6 req. 21) — what the CLI and the HTTP
 * API call: ingest carrier records, send a one-time code to a phone, answer the 14-day card for
 * phone + code, and run the rolling purge. One instance per open store; `finish()` signs an
 * audit checkpoint when the log grew, `close()` zeroises the cached subscriber keys.
 */
import { join } from 'node:path';
import type { Store } from '../../platform/runtime/store.js';
import type { RiskArea } from '../../kernel/domain/index.js';
import { loadCells } from './cells.js';
import { openContext, type TripcardContext } from './context.js';
import { ingestLines, type IngestSummary } from './ingest.js';
import type { RejectReason } from './model.js';
import { OTP_PURPOSE, tripcardIdentity } from './otp.js';
import { purgeEvents, type PurgeResult } from './purge.js';
import { itineraryOf, type Itinerary } from './query.js';
import { loadRiskAreas } from './risk.js';
import type { RawLine } from './reader.js';
import type { CodeIdentity, TripcardPorts } from './ports.js';

/** Options of {@link TripcardService.ingest}. */
export interface IngestRequest {
  /** Carrier name (audit actor `carrier:<name>`); default `unknown`. */
  readonly carrier?: string;
  /** Cell table path; default `DIR/cells.csv`. */
  readonly cellsFile?: string;
  /** Called for each rejected record (its 1-based position and the reason; no value). */
  readonly onReject?: (line: number, reason: RejectReason) => void | Promise<void>;
  readonly onProgress?: (records: number) => void;
}

/** The trip card of one open instance. */
export interface TripcardService {
  /** Ingests records (objects as parsed from JSON, or `RawLine`s from {@link readRecords}). */
  ingest(
    records: AsyncIterable<unknown> | Iterable<unknown>,
    request?: IngestRequest & { readonly lines?: boolean },
  ): Promise<IngestSummary>;
  /** Sends a one-time code to the phone when it belongs to a subscriber; same answer either way. */
  requestCode(phone: string): Promise<void>;
  /** The card for phone + code; throws `ERR_OUTBOX_CODE_INVALID|EXPIRED|USED` on a bad code. */
  itinerary(phone: string, code: string): Promise<Itinerary>;
  /** Runs the rolling purge. */
  purge(actor?: string): Promise<PurgeResult>;
  /** Signs an audit checkpoint when the log grew; call once when done. */
  finish(): Promise<void>;
  /** Zeroises the cached subscriber keys; call when the service is no longer used. */
  close(): void;
}

/**
 * Opens the trip card of an instance.
 *
 * @example
 * const tc = await openTripcard(store, ports); // the root's instanceTripcard(store) wires them
 * await tc.requestCode(phoneFromBody);            // a code goes to DIR/outbox
 * const card = await tc.itinerary(phoneFromBody, codeFromBody); // { cities: [...] }
 * await tc.finish();
 */
export async function openTripcard(
  store: Store,
  ports: TripcardPorts,
  options: { riskAreas?: readonly RiskArea[] } = {},
): Promise<TripcardService> {
  const ctx = await openContext(store, ports);
  let identity: CodeIdentity | undefined;
  const cellCache = new Map<string, Map<string, string>>();
  const cellsOf = async (file: string) => {
    let m = cellCache.get(file);
    if (m === undefined) {
      m = await loadCells(file);
      cellCache.set(file, m);
    }
    return m;
  };
  return {
    async ingest(records, request = {}) {
      const cells = await cellsOf(request.cellsFile ?? join(store.paths.root, 'cells.csv'));
      return ingestLines(
        ctx,
        request.lines === true ? (records as AsyncIterable<RawLine>) : numbered(records),
        {
          cells,
          ...(request.carrier === undefined ? {} : { carrier: request.carrier }),
          ...(request.onReject === undefined ? {} : { onReject: request.onReject }),
          ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
        },
      );
    },
    async requestCode(phone) {
      identity ??= await tripcardIdentity(ctx);
      await identity.sendCode(store.db.kysely, phone, OTP_PURPOSE);
    },
    async itinerary(phone, code) {
      identity ??= await tripcardIdentity(ctx);
      const who = await identity.confirm(store.db.kysely, phone, OTP_PURPOSE, code);
      if (who === undefined) {
        return { cities: [] };
      }
      return cardOf(ctx, who.subjectId, options.riskAreas);
    },
    purge: (actor = 'operator:cli') => purgeEvents(ctx, actor),
    finish: () => ctx.vault.finish(),
    close: () => ctx.keys.clear(),
  };
}

async function cardOf(
  ctx: TripcardContext,
  subjectId: string,
  riskAreas: readonly RiskArea[] | undefined,
): Promise<Itinerary> {
  return itineraryOf(ctx, subjectId, {
    actor: 'citizen',
    riskAreas: riskAreas ?? loadRiskAreas(ctx.store.paths.root),
  });
}

async function* numbered(
  records: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<RawLine> {
  let line = 0;
  for await (const record of records) {
    line++;
    yield { line, record };
  }
}
