// SPDX-License-Identifier: Apache-2.0
/**
 * @module The `outbox.purge` job: every 5 minutes, deletes expired one-time-code messages from
 * `DIR/outbox/` and challenge rows that no longer count towards a rate limit (issue 3 item 11:
 * "a message is deleted when its code is used or expires").
 */
import type { Job } from '../../platform/runtime/jobs.js';

export const outboxPurgeJob: Job = {
  name: 'outbox.purge',
  everyMs: 5 * 60_000,
  async run(store) {
    const { FileOutbox } = await import('./file-outbox.js');
    const { purgeExpired } = await import('./service.js');
    const r = await purgeExpired({
      db: store.db,
      clock: store.clock,
      outbox: new FileOutbox(store.paths.outbox),
    });
    return { messagesDeleted: r.messagesDeleted, challengesDeleted: r.challengesDeleted };
  },
};
