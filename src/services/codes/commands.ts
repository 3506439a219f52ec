// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for health codes (`healthcode code …`) and EU DCC verification
 * (`healthcode dcc verify`); implementations load lazily from `./cli.js`. The verifiers never open
 * a data dir; issuer commands open the instance and its keyring.
 */
import type { Command } from 'commander';
import { action, commandEnv } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/errors.js';
import type { CodesPorts } from './ports.js';

/** The implementations, loaded when a command runs. */
const impl = () => import('./cli.js');

interface JsonOpt {
  json?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface VerifyOpts extends JsonOpt {
  png?: string;
  trust?: string;
  anchor?: string[];
  at?: string;
}

export function registerCodesCommands(program: Command, ports: CodesPorts): void {
  const code = program
    .command('code')
    .description('health codes: issue, verify offline, trust lists, revocation (DESIGN.md §4)');
  registerVerify(code);
  registerIssue(code, ports);
  registerSubjectCommands(code, ports);
  registerReviewCommands(code, ports);
  registerIssuerCommands(code);
  registerDccCommands(program);
}

/** `code verify`: offline, never a data dir. */
function registerVerify(code: Command): void {
  code
    .command('verify')
    .description('verify a health-code token offline (never opens a data dir); exit 0 valid, 1 not')
    .argument('[token]', 'the HCN1: text, or - to read it from stdin')
    .option('--png <file>', 'read the token from a QR code in a PNG image')
    .option('--trust <file>', 'the signed trust list (from `code trust-list`)')
    .option('--anchor <kid>', 'pin the trust-list anchor key id (repeatable)', collect)
    .option('--at <time>', 'validation time, ISO 8601 (no offset = UTC); default now')
    .option('--json', 'print one JSON document')
    .action(
      action(async (token: string | undefined, opts: VerifyOpts, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { codeVerify } = await impl();
        return codeVerify(token, opts, env);
      }),
    );
}

/** `code issue`: for a stored subject, or from inputs on stdin. */
function registerIssue(code: Command, ports: CodesPorts): void {
  code
    .command('issue')
    .description(
      'evaluate the colour rules and sign a token: for a stored subject (from the vault; the decision is stored and logged), or from JSON inputs on stdin (--stdin)',
    )
    .argument('[subject-id]', 'a stored subject (opaque id; put `--` before an id starting with -)')
    .option(
      '--guardian <subject-id>',
      'act as this guardian of an under-14 dependant (PIPL art. 31)',
    )
    .option(
      '--stdin',
      'read { "name", "inputs": { tests, declarations, itinerary, riskAreas, orders } } from stdin',
    )
    .option('--risk-areas <file>', 'risk-area list (default DATA/risk-areas.json)')
    .option('--ttl <seconds>', 'token life in seconds (30–86400, default 900)')
    .option('--png <file>', 'also write the QR code as PNG')
    .option('--svg <file>', 'also write the QR code as SVG')
    .option('--terminal', 'also draw the QR code on stderr')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          subjectId: string | undefined,
          opts: {
            stdin?: boolean;
            guardian?: string;
            riskAreas?: string;
            ttl?: string;
            png?: string;
            svg?: string;
            terminal?: boolean;
          } & JsonOpt,
          cmd: Command,
        ) => {
          const env = await commandEnv(cmd);
          const { issueCommand, issueForSubjectCommand, parseTtl, withIssuer } = await impl();
          if (subjectId !== undefined) {
            if (opts.stdin === true) {
              throw new UsageError('give a subject id or --stdin, not both');
            }
            const ttl = parseTtl(opts.ttl);
            const { ttl: _t, ...rest } = opts;
            void _t;
            return issueForSubjectCommand(
              subjectId,
              { ...rest, ...(ttl === undefined ? {} : { ttl }) },
              env,
              ports,
            );
          }
          return issueCommand(undefined, opts, env, withIssuer);
        },
      ),
    );
}

/** `code explain|order|correct` for a stored subject. */
function registerSubjectCommands(code: Command, ports: CodesPorts): void {
  code
    .command('explain')
    .description(
      'why a subject has their colour (PIPL art. 24): the latest stored decision, its reasons, inputs and rule-set version',
    )
    .argument('<subject-id>', 'a stored subject (put `--` before an id starting with -)')
    .option('--guardian <subject-id>', 'act as this guardian of an under-14 dependant')
    .option('--json', 'print one JSON document')
    .action(
      action(async (subjectId: string, opts: { guardian?: string } & JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { explainCommand } = await impl();
        return explainCommand(subjectId, opts, env, ports);
      }),
    );

  code
    .command('order')
    .description(
      'store a manual order of a health authority for a subject (quarantine, home-observation, lifted)',
    )
    .argument('<subject-id>', 'a stored subject (put `--` before an id starting with -)')
    .requiredOption('--kind <kind>', 'quarantine, home-observation or lifted')
    .option('--at <time>', 'when the order takes effect, ISO 8601 (default now)')
    .option('--until <time>', 'when it ends, ISO 8601 (default: until lifted)')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          subjectId: string,
          opts: { kind: string; at?: string; until?: string } & JsonOpt,
          cmd: Command,
        ) => {
          const env = await commandEnv(cmd);
          const { orderCommand } = await impl();
          return orderCommand(subjectId, opts, env, ports);
        },
      ),
    );

  code
    .command('correct')
    .description(
      're-evaluate a subject after their data was corrected (纠错, PIPL art. 46); --review queues a human review (art. 24)',
    )
    .argument('<subject-id>', 'a stored subject (put `--` before an id starting with -)')
    .option('--review', 'also queue a human review of the decision')
    .option('--request <id>', 'the data-subject request this carries out')
    .option('--risk-areas <file>', 'risk-area list (default DATA/risk-areas.json)')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          subjectId: string,
          opts: { review?: boolean; request?: string; riskAreas?: string } & JsonOpt,
          cmd: Command,
        ) => {
          const env = await commandEnv(cmd);
          const { correctCommand } = await impl();
          return correctCommand(subjectId, opts, env, ports);
        },
      ),
    );
}

/** `code review list|decide`: the human-review queue. */
function registerReviewCommands(code: Command, ports: CodesPorts): void {
  const review = code
    .command('review')
    .description('the human-review queue of colour decisions (PIPL art. 24 para. 3)');
  review
    .command('list')
    .description('list reviews (default: pending)')
    .option('--status <status>', 'pending (default), upheld, changed or all')
    .option('--subject <subject-id>', 'only this subject')
    .option('--limit <n>', 'at most this many (default 100)', (v) => Number(v))
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          opts: { status?: string; subject?: string; limit?: number } & JsonOpt,
          cmd: Command,
        ) => {
          const env = await commandEnv(cmd);
          if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) {
            throw new UsageError('--limit takes a positive whole number');
          }
          const { reviewListCommand } = await impl();
          return reviewListCommand(opts, env, ports);
        },
      ),
    );
  review
    .command('decide')
    .description(
      'decide a pending review: upheld, or a manual order (lifted, quarantine, home-observation) that is stored and re-evaluated',
    )
    .argument('<review-id>', 'the review id (rv_…)')
    .requiredOption('--outcome <outcome>', 'upheld, lifted, quarantine or home-observation')
    .option('--until <time>', 'end of the order, ISO 8601')
    .option('--reviewer <name>', 'the reviewing operator (recorded in the audit log)')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          reviewId: string,
          opts: { outcome: string; until?: string; reviewer?: string } & JsonOpt,
          cmd: Command,
        ) => {
          const env = await commandEnv(cmd);
          const { reviewDecideCommand } = await impl();
          return reviewDecideCommand(reviewId, opts, env, ports);
        },
      ),
    );
}

/** `code trust-list|revoke|rotate-key`: the stored issuer. */
function registerIssuerCommands(code: Command): void {
  code
    .command('trust-list')
    .description(
      'write the signed trust list (issuer keys, validity, revocations) for offline verifiers',
    )
    .requiredOption('--out <file>', 'where to write it')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { out: string } & JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { trustListCommand, withIssuer } = await impl();
        return trustListCommand(opts.out, env, withIssuer);
      }),
    );

  code
    .command('revoke')
    .description(
      'revoke a token (its token hash, or the token on stdin with -) or a signing key id',
    )
    .argument(
      '<target>',
      'a 64-hex token hash, a 16-hex key id, or - to read either or a token from stdin',
    )
    .option('--json', 'print one JSON document')
    .action(
      action(async (target: string, opts: JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { revokeCommand, withIssuer } = await impl();
        return revokeCommand(target, env, withIssuer);
      }),
    );

  code
    .command('rotate-key')
    .description('start a new token-signing key now (old tokens verify until they expire)')
    .option('--alg <alg>', 'EdDSA (default), ES256 or PS256')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { alg?: string } & JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { rotateCommand, withIssuer } = await impl();
        return rotateCommand(opts.alg, env, withIssuer);
      }),
    );
}

/** `dcc verify`: EU DCC (HC1) offline verification. */
function registerDccCommands(program: Command): void {
  const dcc = program.command('dcc').description('EU Digital COVID Certificates (HC1)');
  dcc
    .command('verify')
    .description(
      'verify an HC1: certificate against a signer certificate; exit 0 valid, 1 not, 2 usage',
    )
    .argument('<hc1>', 'the HC1: text, or - to read it from stdin')
    .requiredOption('--cert <cert>', 'the signer certificate: base64 DER or PEM (or @FILE)')
    .option('--at <time>', 'validation clock, ISO 8601 (no offset = UTC); default now')
    .option('--json', 'print one JSON document')
    .action(
      action(async (hc1: string, opts: { cert: string; at?: string } & JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { dccVerify } = await impl();
        return dccVerify(hc1, opts, env);
      }),
    );
}
