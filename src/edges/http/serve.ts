// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode serve`: opens the instance, (with `--demo`) seeds a small synthetic city on
 * first run and prints role tokens, listens over HTTP or HTTPS (`--tls-cert/--tls-key`: the
 * verifier's camera needs a secure context off localhost), runs the registered jobs on schedule,
 * and stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { runDueJobs, createLogger, type Logger } from '../../platform/runtime/index.js';
import { UsageError, isAppError } from '../../kernel/shared/index.js';
import { recordSyntheticAssessments } from '../../services/codes/index.js';
import { allJobs, openInstance } from '../app/instance.js';
import { emitOutcome, ok, type CommandEnv } from '../../platform/runtime/cli-kit.js';
import { buildHttpApp } from './app.js';
import { seedDemoCity } from './demo.js';
import { demoRoleTokens } from './demo-accounts.js';

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

/** The port of `--port`, else `$PORT`, else 8080. */
export function parsePort(flag: string | undefined): number {
  const port = Number(flag ?? process.env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('--port must be an integer from 0 to 65535');
  }
  return port;
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
    } catch (cause) {
      throw new UsageError(`cannot read the TLS ${what} file`, { cause });
    }
  };
  const out = { cert: read(cert, 'certificate'), key: read(key, 'key') };
  if (!out.cert.includes('-----BEGIN CERTIFICATE-----') || !out.key.includes('PRIVATE KEY-----')) {
    throw new UsageError('--tls-cert and --tls-key must be PEM files (certificate chain, key)');
  }
  return out;
}

/** Logs a job round that failed as a whole (its class and code only: messages stay out). */
function logJobRoundFailure(logger: Logger, err: unknown): void {
  logger.error(
    {
      name: err instanceof Error ? err.name : typeof err,
      code: isAppError(err) ? err.code : undefined,
    },
    'job round failed; retrying at the next interval',
  );
}

export async function serve(env: CommandEnv, options: ServeOptions): Promise<number> {
  const tls = loadTls(options.tlsCert, options.tlsKey);
  const logger = createLogger(process.env.HEALTHCODE_LOG_LEVEL ?? 'info');
  const store = await openInstance({
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
  // The "listening" outcome is printed as soon as the server answers (the demo seeds behind it).
  emitOutcome(
    {
      ...ok({ url: `${origin}/`, ui: `${origin}/ui/`, docs: `${origin}/docs` }, [
        `${origin}/`,
        `  web app  ${origin}/ui/   API docs  ${origin}/docs`,
      ]),
      warnings: [
        ...(options.rateLimit === false ? ['serve: rate limiting is OFF (--no-rate-limit)'] : []),
        ...(readiness.ready
          ? []
          : ['serve: seeding the synthetic demo city (readyz answers 503 until done)']),
      ],
    },
    {},
  );
  if (!readiness.ready) {
    await seedDemoCity(store, logger);
    readiness.ready = true;
  }
  if (options.demo && store.config.synthetic) {
    // Colour decisions need an assessment of their rules (PIPL art. 55): the synthetic city runs
    // under a stand-in that says what it is (also for demo dirs seeded before the gate existed).
    await recordSyntheticAssessments(store);
  }
  if (options.demo) {
    const tokens = await demoRoleTokens(store);
    emitOutcome(
      ok({ label: 'synthetic demo only', tokens }, [
        'synthetic demo only — role tokens (12 h), use as "Authorization: Bearer …":',
        ...Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(9)} ${token}`),
      ]),
      {},
    );
  }

  const tick = async () => {
    const outcomes = await runDueJobs(store, await allJobs());
    for (const o of outcomes) {
      logger.info({ job: o.name, ok: o.ok, summary: o.summary, error: o.error }, 'job ran');
    }
  };
  // A failed round is logged and the next one retries: the server keeps serving meanwhile.
  const logTickFailure = (err: unknown) => logJobRoundFailure(logger, err);
  let running: Promise<void> = tick().catch(logTickFailure);
  const timer = setInterval(() => {
    running = running.then(tick).catch(logTickFailure);
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
