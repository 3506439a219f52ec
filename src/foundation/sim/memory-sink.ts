// SPDX-License-Identifier: Apache-2.0
/**
 * @module An in-memory {@link PopulationSink} for tests and demos: it keeps every record it is
 * given. Never use it for a real population (it holds everything); the vault's sink is the
 * production implementation of the port.
 */
import type { PopulationSink, SyntheticRecord } from './model.js';

export class MemorySink implements PopulationSink {
  readonly records: SyntheticRecord[] = [];
  #finished = false;

  write(batch: readonly SyntheticRecord[]): Promise<void> {
    if (this.#finished) {
      return Promise.reject(new TypeError('MemorySink.write after finish'));
    }
    for (const r of batch) {
      this.records.push(r);
    }
    return Promise.resolve();
  }

  finish(): Promise<{ subjects: number; records: number }> {
    this.#finished = true;
    const subjects = this.records.filter((r) => r.type === 'resident').length;
    return Promise.resolve({ subjects, records: this.records.length });
  }
}
