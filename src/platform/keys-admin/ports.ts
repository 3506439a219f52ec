// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the keys commands need from above the platform: a place to record what they did.
 * The composition root implements it over the audit log (which sits above the keys), so the keyring
 * never imports the log it protects.
 */
import type { AuditEvent } from '../runtime/audit-port.js';
import type { Store } from '../runtime/store.js';

export interface KeysPorts {
  /** Records a `key` event in the instance's audit log and signs a checkpoint when it grew. */
  readonly recordKeyEvent: (store: Store, event: AuditEvent) => Promise<void>;
}
