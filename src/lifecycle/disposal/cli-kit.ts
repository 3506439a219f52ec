// SPDX-License-Identifier: Apache-2.0
/** @module What the disposal command implementations share: opening a wired context. */
import { withStore, type CommandEnv } from '../../platform/runtime/cli-kit.js';
import type { DisposalContext, DisposalPorts } from './context.js';

/** A command's environment with the ports the root wired. */
export interface DisposalCommandEnv extends CommandEnv {
  readonly ports: DisposalPorts;
}

export async function withContext<T>(
  env: DisposalCommandEnv,
  fn: (ctx: DisposalContext) => Promise<T>,
  actor = 'system:disposal',
): Promise<T> {
  return withStore(env, async (store) => {
    const ctx = await env.ports.openContext(store, actor);
    await ctx.prepare();
    return fn(ctx);
  });
}
