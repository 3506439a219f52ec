// SPDX-License-Identifier: Apache-2.0
/** @module A real AES-256-GCM KeyWrapper for tests that need one before the keyring is wired. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyWrapper } from '../../src/kernel/shared/index.js';

export function testKeyWrapper(kek: Buffer = randomBytes(32)): KeyWrapper {
  return {
    wrap(secret, context) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', kek, iv).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([c.update(secret), c.final()]);
      return Promise.resolve(Buffer.concat([iv, c.getAuthTag(), body]));
    },
    unwrap(wrapped, context) {
      const buf = Buffer.from(wrapped);
      const d = createDecipheriv('aes-256-gcm', kek, buf.subarray(0, 12)).setAAD(
        Buffer.from(context, 'utf8'),
      );
      d.setAuthTag(buf.subarray(12, 28));
      return Promise.resolve(Buffer.concat([d.update(buf.subarray(28)), d.final()]));
    },
  };
}
