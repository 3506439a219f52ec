// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode serve`: opens the instance, (with `--demo`) seeds a small synthetic city on
 * first run, listens, runs the registered jobs on schedule, and stops cleanly on SIGINT/SIGTERM.
 */
import { openStore, runDueJobs, createLogger } from '../app/index.js';
import { allJobs } from '../app/job-list.js';
import type { CommandEnv } from '../cli/kit.js';
import { buildHttpApp } from './app.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly demo: boolean;
  readonly jobIntervalMs?: number;
}

export async function serve(env: CommandEnv, options: ServeOptions): Promise<number> {
  const logger = createLogger(process.env.HEALTHCODE_LOG_LEVEL ?? 'info');
  const store = await openStore({
    dataDir: env.dataDir,
    dbUrl: env.dbUrl,
    create: options.demo,
    clock: env.clock,
    ...(options.demo
      ? {
          initialConfig: {
            synthetic: true,
            origin: 'healthcode.local/demo',
            responsibleParty: {
              name: '（合成）示范城市健康码运营中心 / Synthetic demo operator',
              contact: 'demo@healthcode.invalid',
            },
          },
        }
      : {}),
  });
  if (options.demo && store.created) {
    const { seedDemoCity } = await import('./demo.js');
    await seedDemoCity(store, logger);
  }
  const app = buildHttpApp({ store });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  process.stdout.write(`http://localhost:${port}/\n`);

  const tick = async () => {
    const outcomes = await runDueJobs(store, allJobs);
    for (const o of outcomes) {
      logger.info({ job: o.name, ok: o.ok, summary: o.summary, error: o.error }, 'job ran');
    }
  };
  let running: Promise<void> = tick().catch(() => undefined);
  const timer = setInterval(() => {
    running = running.then(tick).catch(() => undefined);
  }, options.jobIntervalMs ?? 30_000);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(timer);
  await running;
  await app.close();
  await store.close();
  return 0;
}
