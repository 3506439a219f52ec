// SPDX-License-Identifier: Apache-2.0
/** @module What the disposal command implementations share: opening a wired context. */
import { withStore, type CommandEnv } from '../../platform/runtime/cli-kit.js';
import { disposalContext, type DisposalContext } from './context.js';

export async function withContext<T>(
  env: CommandEnv,
  fn: (ctx: DisposalContext) => Promise<T>,
  actor = 'system:disposal',
): Promise<T> {
  return withStore(env, async (store) => {
    const ctx = disposalContext(store, actor);
    await ctx.prepare();
    return fn(ctx);
  });
}
