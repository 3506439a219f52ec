// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode serve`: opens the instance, (with `--demo`) seeds a small synthetic city on
 * first run and prints role tokens, listens over HTTP or HTTPS (`--tls-cert/--tls-key`: the
 * verifier's camera needs a secure context off localhost), runs the registered jobs on schedule,
 * and stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { openStore, runDueJobs, createLogger } from '../app/index.js';
import { UsageError } from '../shared/index.js';
import { allJobs } from '../app/job-list.js';
import type { CommandEnv } from '../cli/kit.js';
import { buildHttpApp } from './app.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly demo: boolean;
  readonly jobIntervalMs?: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** False turns rate limiting off (benchmarks; behind a proxy that limits). */
  readonly rateLimit?: boolean;
  readonly trustProxy?: boolean | string;
}

/** Reads the PEM files of `--tls-cert/--tls-key`; both or neither. */
export function loadTls(
  cert: string | undefined,
  key: string | undefined,
): { cert: Buffer; key: Buffer } | undefined {
  if (cert === undefined && key === undefined) {
    return undefined;
  }
  if (cert === undefined || key === undefined) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch {
      throw new UsageError(`cannot read the TLS ${what} file`);
    }
  };
  const out = { cert: read(cert, 'certificate'), key: read(key, 'key') };
  if (!out.cert.includes('-----BEGIN CERTIFICATE-----') || !out.key.includes('PRIVATE KEY-----')) {
    throw new UsageError('--tls-cert and --tls-key must be PEM files (certificate chain, key)');
  }
  return out;
}

export async function serve(env: CommandEnv, options: ServeOptions): Promise<number> {
  const tls = loadTls(options.tlsCert, options.tlsKey);
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
  // A first demo run listens at once and seeds behind /readyz (503 until the city exists).
  const readiness = { ready: !(options.demo && store.created) };
  const app = buildHttpApp({
    store,
    readiness,
    demo: options.demo,
    logRequests: true,
    ...(tls ? { https: tls } : {}),
    ...(options.rateLimit === false ? { rateLimit: false } : {}),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const origin = `${tls ? 'https' : 'http'}://localhost:${port}`;
  process.stdout.write(`${origin}/\n`);
  process.stdout.write(`  web app  ${origin}/ui/   API docs  ${origin}/docs\n`);
  if (options.rateLimit === false) {
    process.stderr.write('serve: rate limiting is OFF (--no-rate-limit)\n');
  }
  if (!readiness.ready) {
    process.stderr.write(
      'serve: seeding the synthetic demo city (readyz answers 503 until done)\n',
    );
    const { seedDemoCity } = await import('./demo.js');
    await seedDemoCity(store, logger);
    readiness.ready = true;
  }
  if (options.demo && store.config.synthetic) {
    // Colour decisions need an assessment of their rules (PIPL art. 55): the synthetic city runs
    // under a stand-in that says what it is (also for demo dirs seeded before the gate existed).
    const { recordSyntheticAssessments } = await import('../codes/index.js');
    await recordSyntheticAssessments(store);
  }
  if (options.demo) {
    const { demoRoleTokens } = await import('./demo-accounts.js');
    const tokens = await demoRoleTokens(store);
    process.stdout.write(
      'synthetic demo only — role tokens (12 h), use as "Authorization: Bearer …":\n',
    );
    for (const [role, token] of Object.entries(tokens)) {
      process.stdout.write(`  ${role.padEnd(9)} ${token}\n`);
    }
  }

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
