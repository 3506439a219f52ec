// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode serve`: the HTTP server (status page, probes, API as it lands). */
import type { Command } from 'commander';
import { action, commandEnv } from '../../platform/runtime/cli-kit.js';

/** The one loader of the server's implementation (kept out of `--help`'s import graph). */
const impl = () => import('./serve.js');

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
        const { serve, parsePort } = await impl();
        return serve(env, {
          port: parsePort(opts.port),
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
