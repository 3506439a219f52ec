// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the crypto layer (STYLE.md §5). An AEAD open that fails for any reason —
 * wrong key, changed associated data (a ciphertext moved to another row, subject or group),
 * flipped bits or a truncated envelope — is one {@link IntegrityError}: NIST SP 800-38D §7.2 gives
 * no more than "FAIL", and telling the causes apart would help an attacker more than an operator.
 */
import { AppError } from '../shared/errors.js';

/** A ciphertext did not authenticate under the given key and associated data. */
export class IntegrityError extends AppError {
  static override readonly code = 'ERR_CRYPTO_INTEGRITY';
  override readonly code = 'ERR_CRYPTO_INTEGRITY';
  constructor(
    message = 'ciphertext failed authentication (wrong key, moved or damaged)',
    options = {},
  ) {
    super(message, options);
  }
}

/** Every error code of the crypto layer. */
export type CryptoErrorCode = typeof IntegrityError.code;
