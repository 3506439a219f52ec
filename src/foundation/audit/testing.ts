// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test and benchmark helpers: an in-memory AES-256-GCM (NIST SP 800-38D) KeyWrapper
 * standing in for the keyring, so the audit log's tests do not depend on the keyring's state.
 * Production wires `store.keyring.keyWrapper()` instead.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyWrapper } from '../../kernel/shared/index.js';

/** A KeyWrapper under one random in-memory key; `context` is bound as associated data. */
export function memoryKeyWrapper(key: Buffer = randomBytes(32)): KeyWrapper & { calls: number } {
  const state = {
    calls: 0,
    wrap(secret: Uint8Array, context: string): Promise<Buffer> {
      state.calls++;
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, nonce);
      c.setAAD(Buffer.from(context, 'utf8'));
      return Promise.resolve(Buffer.concat([nonce, c.update(secret), c.final(), c.getAuthTag()]));
    },
    unwrap(wrapped: Uint8Array, context: string): Promise<Buffer> {
      state.calls++;
      const w = Buffer.from(wrapped);
      const d = createDecipheriv('aes-256-gcm', key, w.subarray(0, 12));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(w.subarray(w.length - 16));
      return Promise.resolve(Buffer.concat([d.update(w.subarray(12, w.length - 16)), d.final()]));
    },
  };
  return state;
}
