// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test support (not exported from the door): a recording AuditPort, so vault tests can
 * check what would reach the audit log without depending on the log's implementation.
 */
import type { AuditEvent, AuditPort } from '../../platform/runtime/audit-port.js';

/** Keeps every appended event in memory. */
export class RecordingAudit implements AuditPort {
  readonly events: AuditEvent[] = [];
  append(_db: unknown, events: readonly AuditEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }
}
