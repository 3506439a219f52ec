// SPDX-License-Identifier: Apache-2.0
/**
 * @module Periodic jobs of the health-code issuer: `codes.rotate-signing-key` replaces the
 * token-signing key once it is {@link SIGNING_KEY_DAYS} old (old tokens keep verifying until they
 * expire); `codes.prune-revocations` drops entries no token can need any more.
 */
import type { Job, Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { CodesService, SIGNING_KEY_DAYS } from './service.js';
import { pruneRevocations } from './repository.js';

/** The stored issuer of an open instance. */
export function openCodesService(store: Store, wrapper: KeyWrapper): CodesService {
  return new CodesService({
    db: store.db.kysely,
    wrapper,
    clock: store.clock,
    random: store.random,
    issuer: store.config.origin,
    timeZone: store.config.timeZone,
  });
}

/** The jobs, given how to reach the instance's KeyWrapper (the keyring). */
export function codesJobs(keyWrapperOf: (store: Store) => KeyWrapper): Job[] {
  return [
    {
      name: 'codes.rotate-signing-key',
      everyMs: 3600_000,
      async run(store) {
        const svc = openCodesService(store, keyWrapperOf(store));
        await svc.ensureKeys();
        const r = await svc.rotateIfDue(SIGNING_KEY_DAYS);
        return { rotated: r.rotated, kid: r.kid };
      },
    },
    {
      name: 'codes.prune-revocations',
      everyMs: 24 * 3600_000,
      async run(store) {
        const now = Math.floor(store.clock.now().getTime() / 1000);
        return { pruned: await pruneRevocations(store.db.kysely, now) };
      },
    },
  ];
}
