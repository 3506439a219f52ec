// SPDX-License-Identifier: Apache-2.0
/** @module What the disposal command implementations share: opening a context, printing. */
import type { CommandEnv } from '../cli/kit.js';
import { openStore } from '../app/index.js';
import { disposalContext, type DisposalContext } from './context.js';
import type { Opts } from './cli-types.js';

export async function withContext<T>(
  env: CommandEnv,
  fn: (ctx: DisposalContext) => Promise<T>,
  actor = 'system:disposal',
): Promise<T> {
  const store = await openStore({
    dataDir: env.dataDir,
    dbUrl: env.dbUrl,
    create: false,
    clock: env.clock,
  });
  try {
    const ctx = disposalContext(store, actor);
    await ctx.prepare();
    const out = await fn(ctx);
    return out;
  } finally {
    await store.close();
  }
}

export const json = (opts: Opts) => opts.json === true;
export const say = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
