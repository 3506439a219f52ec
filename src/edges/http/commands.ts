// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode serve`: the HTTP server (status page, probes, API as it lands). */
import type { Command } from 'commander';
import { action, commandEnv } from '../../platform/runtime/cli-kit.js';

interface ServeFlags {
  port?: string;
  host: string;
  demo?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  rateLimit: boolean;
  trustProxy?: string;
}

export function registerHttpCommands(program: Command): void {
  program
    .command('serve')
    .description('run the server (honours $PORT; --demo seeds a synthetic city on first run)')
    .option('--port <n>', 'port to listen on (default $PORT or 8080)')
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--demo', 'demo instance: create the data dir and seed a synthetic city on first run')
    .option('--tls-cert <file>', 'HTTPS: PEM certificate chain (with --tls-key)')
    .option('--tls-key <file>', 'HTTPS: PEM private key (with --tls-cert)')
    .option('--no-rate-limit', 'turn rate limiting off (benchmarks, or a proxy that limits)')
    .option('--trust-proxy <addr>', 'trust X-Forwarded-* from this proxy address (e.g. 127.0.0.1)')
    .action(
      action(async (opts: ServeFlags, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { UsageError } = await import('../../kernel/shared/index.js');
        const raw = opts.port ?? process.env.PORT ?? '8080';
        const port = Number(raw);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new UsageError('--port must be an integer from 0 to 65535');
        }
        const { serve } = await import('./serve.js');
        return serve(env, {
          port,
          host: opts.host,
          demo: opts.demo === true,
          rateLimit: opts.rateLimit,
          ...(opts.tlsCert === undefined ? {} : { tlsCert: opts.tlsCert }),
          ...(opts.tlsKey === undefined ? {} : { tlsKey: opts.tlsKey }),
          ...(opts.trustProxy === undefined ? {} : { trustProxy: opts.trustProxy }),
        });
      }),
    );
}
