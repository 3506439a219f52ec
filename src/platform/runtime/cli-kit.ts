// SPDX-License-Identifier: Apache-2.0
/**
 * @module What every command shares: global options (`--data`, `--db`, `--now`), exit codes,
 * one-line errors, JSON output and stdin. Kept light: `healthcode --help` loads only this and the
 * command declarations; implementations are imported when a command runs.
 *
 * Exit codes (DESIGN.md §9): 0 ok / valid / nothing found; 1 a negative verdict; 2 usage error or
 * unusable input.
 */
import type { Command } from 'commander';
import type { Clock } from '../../kernel/shared/clock.js';
import type { Migrations } from './module.js';
import type { Store, StoreOptions } from './store.js';

export const EXIT_OK = 0;
export const EXIT_NEGATIVE = 1;
export const EXIT_USAGE = 2;

/** Resolved global options for one command run. */
export interface CommandEnv {
  readonly dataDir: string;
  readonly dbUrl: string | undefined;
  readonly clock: Clock;
  /** Every capability's migrations, as the composition root bound them to the program. */
  readonly migrations: () => Promise<Migrations>;
}

/** What the composition root binds to its program: how to open an instance. */
export interface InstanceBinding {
  readonly migrations: () => Promise<Migrations>;
}

const bindings = new WeakMap<Command, InstanceBinding>();

/** Binds the instance's migrations to the root program (the composition root does, once). */
export function bindInstance(program: Command, binding: InstanceBinding): void {
  bindings.set(program, binding);
}

interface GlobalOpts {
  data?: string;
  db?: string;
  now?: string;
}

/** Reads the global options from the root command. */
export async function commandEnv(cmd: Command): Promise<CommandEnv> {
  let root = cmd;
  while (root.parent) {
    root = root.parent;
  }
  const binding = bindings.get(root);
  if (binding === undefined) {
    throw new TypeError('the program has no instance binding (bindInstance)');
  }
  const g = root.opts<GlobalOpts>();
  const { systemClock, offsetClock, parseRfc3339, UsageError } =
    await import('../../kernel/shared/index.js');
  let clock: Clock = systemClock;
  if (g.now !== undefined) {
    if (process.env.HEALTHCODE_ALLOW_CLOCK_OVERRIDE !== '1') {
      throw new UsageError(
        '--now is honoured only when HEALTHCODE_ALLOW_CLOCK_OVERRIDE=1 (tests and demos)',
      );
    }
    clock = offsetClock(parseRfc3339(g.now, '--now'));
  }
  return {
    dataDir: g.data ?? './data',
    dbUrl: g.db ?? (process.env.HEALTHCODE_DB_URL || undefined),
    clock,
    migrations: binding.migrations,
  };
}

/** Prints one JSON document on stdout (being replaced by outcomes returned to {@link action}). */
function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * What a command hands back — the one way a command prints (DESIGN.md §9): its JSON document
 * (printed with `--json`), its text for people (printed otherwise; empty prints nothing), its
 * exit code. Logs, progress and warnings go to stderr, so stdout is only ever this.
 */
export interface CommandOutcome {
  readonly json: unknown;
  readonly text: string;
  readonly exitCode: number;
  /** Lines for stderr (warnings), printed whatever the output format. */
  readonly warnings?: readonly string[];
}

/** An outcome of exit code 0 (a text of several lines is joined with newlines). */
export function ok(json: unknown, text: string | readonly string[]): CommandOutcome {
  return { json, text: typeof text === 'string' ? text : text.join('\n'), exitCode: EXIT_OK };
}

/**
 * Prints an outcome: its warnings on stderr, then its JSON document (`--json`) or its text (an
 * empty text prints nothing) on stdout. Returns the exit code for {@link action}.
 */
export function emitOutcome(out: CommandOutcome, opts: { json?: boolean }): number {
  for (const line of out.warnings ?? []) {
    process.stderr.write(`healthcode: ${line}\n`);
  }
  if (opts.json === true) {
    printJson(out.json);
  } else if (out.text !== '') {
    process.stdout.write(`${out.text}\n`);
  }
  return out.exitCode;
}

/**
 * Prints the one line a command that runs until stopped (`serve`, `party`) writes when it is
 * ready, as JSON; its outcome follows when it stops.
 */
export function printReady(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Reads all of stdin as UTF-8 (personal data never goes on a command line). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line of stdin, trimmed; a usage error when empty. */
export async function readStdinValue(label: string): Promise<string> {
  const value = (await readStdin()).split(/\r?\n/)[0]?.trim() ?? '';
  if (value === '') {
    const { UsageError } = await import('../../kernel/shared/index.js');
    throw new UsageError(`expected ${label} on stdin`);
  }
  return value;
}

/**
 * Wraps a command implementation. Its result is an outcome — printed by {@link emitOutcome},
 * as JSON when the command's `--json` is set — or an exit code (a number, or 0) when the command
 * printed nothing. Any error becomes one line on stderr with exit 2. Personal data is never in our
 * messages; unknown errors print only their class and, with HEALTHCODE_DEBUG=1, the stack.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | void | CommandOutcome>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const result = await fn(...args);
      if (typeof result === 'object') {
        // Commander passes the options object and the command last.
        const cmd = args[args.length - 1] as Command;
        process.exitCode = emitOutcome(result, cmd.opts<{ json?: boolean }>());
      } else {
        process.exitCode = result ?? EXIT_OK;
      }
    } catch (err) {
      process.exitCode = EXIT_USAGE;
      process.stderr.write(`healthcode: ${describeError(err)}\n`);
      if (process.env.HEALTHCODE_DEBUG === '1' && err instanceof Error) {
        process.stderr.write(`${err.stack ?? ''}\n`);
      }
    }
  };
}

function describeError(err: unknown): string {
  const sys = err as NodeJS.ErrnoException;
  if (err instanceof Error && typeof sys.code === 'string' && /^E[A-Z]+$/.test(sys.code)) {
    return `${sys.syscall ?? 'file'} failed: ${sys.code}${sys.path ? ` (${sys.path})` : ''}`;
  }
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') {
    const code = (err as unknown as { code: string }).code;
    if (code.startsWith('ERR_')) {
      return `${err.message} [${code}]`;
    }
  }
  if (err instanceof Error) {
    return `internal error (${err.name}); rerun with HEALTHCODE_DEBUG=1 for details`;
  }
  return 'internal error';
}

/**
 * Opens the instance the global options name; `create` (default false) allows a new data dir,
 * with `initialConfig` for it.
 */
export async function openCommandStore(
  env: CommandEnv,
  extra: Partial<Pick<StoreOptions, 'create' | 'initialConfig' | 'keyProvider'>> = {},
): Promise<Store> {
  const { openStore } = await import('./store.js');
  return openStore({
    dataDir: env.dataDir,
    dbUrl: env.dbUrl,
    create: false,
    clock: env.clock,
    migrations: await env.migrations(),
    ...extra,
  });
}

/** Opens the instance for one command (never creating one), runs `fn`, closes it whatever happens. */
export async function withStore<T>(env: CommandEnv, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openCommandStore(env);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
