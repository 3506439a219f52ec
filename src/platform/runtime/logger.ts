// SPDX-License-Identifier: Apache-2.0
/**
 * @module The process logger: structured JSON (pino) on stderr, so stdout stays one document.
 * Nothing personal is ever passed to it; no argv is logged.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** A logger writing to stderr; level from the caller (config or `HEALTHCODE_LOG_LEVEL`). */
export function createLogger(level = 'info'): Logger {
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination(2),
  );
}

/** A logger that drops everything (tests, one-shot commands). */
export const silentLogger: Logger = pino({ level: 'silent' });
