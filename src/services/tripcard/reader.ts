// SPDX-License-Identifier: Apache-2.0
/**
 * @module Streams a carrier file line by line (constant memory, any size): `.ndjson` / `.jsonl`
 * (one JSON object a line) or `.csv` (RFC 4180 with a header row naming `id`, `phone`, `time`
 * and any of `cell`, `region`, `country`). Each data line becomes a raw record, or `undefined`
 * when it does not parse (the caller rejects it as malformed, by line number).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { extname } from 'node:path';
import { TripcardFileError } from './errors.js';

export const FORMATS = ['csv', 'ndjson', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

/** One line of input: its 1-based line number and the record (undefined: malformed). */
export interface RawLine {
  readonly line: number;
  readonly record: unknown;
}

/** The format of a file by its extension. */
export function formatOf(path: string): Format {
  const ext = extname(path).slice(1).toLowerCase();
  if (!(FORMATS as readonly string[]).includes(ext)) {
    throw new TripcardFileError('the input file must end in .csv, .ndjson or .jsonl');
  }
  return ext as Format;
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines); undefined when unbalanced. */
export function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) {
    return line.split(',');
  }
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return quoted ? undefined : out;
}

/** Reads raw records from a file; blank lines are skipped (and not counted as records). */
export async function* readRecords(
  path: string,
  format: Format = formatOf(path),
): AsyncGenerator<RawLine> {
  const rl = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let n = 0;
  let header: string[] | undefined;
  for await (const text of rl) {
    n++;
    const line = n === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (line.trim() === '') {
      continue;
    }
    if (format === 'csv') {
      if (header === undefined) {
        header = splitCsvLine(line)?.map((h) => h.trim().toLowerCase());
        if (header === undefined || !['id', 'phone', 'time'].every((h) => header!.includes(h))) {
          throw new TripcardFileError(
            'the CSV header must name id, phone, time and a place column',
          );
        }
        continue;
      }
      const cells = splitCsvLine(line);
      if (cells === undefined || cells.length !== header.length) {
        yield { line: n, record: undefined };
        continue;
      }
      const rec: Record<string, string> = {};
      header.forEach((h, i) => (rec[h] = cells[i].trim()));
      yield { line: n, record: rec };
    } else {
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch (err) {
        // A line that is no JSON is a rejected record, not a failed ingest.
        if (!(err instanceof SyntaxError)) {
          throw err;
        }
        rec = undefined;
      }
      yield { line: n, record: rec };
    }
  }
}
