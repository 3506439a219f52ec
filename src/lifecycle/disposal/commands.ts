// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for disposal (`healthcode disposal …`) and operators
 * (`healthcode operator add|list`); implementations load lazily from cli.ts.
 */
import type { Command } from 'commander';
import { action, commandEnv, type CommandOutcome } from '../../platform/runtime/cli-kit.js';
import type { DisposalCommandEnv } from './cli-kit.js';
import type { DisposalPorts } from './context.js';
import type * as cli from './cli.js';
import type { Opts } from './cli-types.js';

type Implementations = typeof cli;
/** One command's implementation: the instance, the positional arguments, the options. */
type Implementation = (
  env: DisposalCommandEnv,
  args: unknown[],
  opts: Opts,
) => CommandOutcome | Promise<CommandOutcome>;

/** The one loader of the implementations (so `--help` loads none of them). */
const implementations = () => import('./cli.js');

/** Declares one subcommand whose implementation `pick` names in cli.ts. */
function implementation(ports: DisposalPorts) {
  return (pick: (m: Implementations) => Implementation) =>
    action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const env = { ...(await commandEnv(cmd)), ports };
      return pick(await implementations())(env, args.slice(0, -2), cmd.opts<Opts>());
    });
}

export function registerDisposalCommands(program: Command, ports: DisposalPorts): void {
  const impl = implementation(ports);
  const operator = program
    .command('operator')
    .description('people who may approve disposal plans, each with their own signing key');
  operator
    .command('add')
    .argument('<name>', 'operator handle (lower case)')
    .option('--json', 'print one JSON document')
    .description('register an operator with a new Ed25519 signing key')
    .action(impl((m) => m.operatorAdd));
  operator
    .command('list')
    .option('--json', 'print one JSON document')
    .description('list operators')
    .action(impl((m) => m.operatorList));

  const d = program
    .command('disposal')
    .description(
      'dispose of personal data when a purpose or service is retired (PIPL art. 47; the 2022 guideline)',
    );
  d.command('inventory')
    .description('every store of personal data with categories, legal bases and retention')
    .option('--json', 'print one JSON document')
    .action(impl((m) => m.inventoryCmd));
  d.command('plan')
    .description('draft a disposal plan (JSON or YAML by the file extension)')
    .requiredOption(
      '--retire <what>',
      'all, a purpose id or a service id (several of one kind joined by commas)',
    )
    .requiredOption('--out <file>', 'plan file to write (.json, .yaml or .yml)')
    .option(
      '--approver <name>',
      'operator named as approver of the statutory exemptions the draft proposes',
    )
    .option('--json', 'print one JSON document')
    .action(impl((m) => m.planCmd));
  d.command('review')
    .argument('<file>')
    .description('print the plan for review (changes nothing)')
    .option('--json', 'print one JSON document')
    .action(impl((m) => m.reviewCmd));
  d.command('approve')
    .argument('<file>')
    .requiredOption('--by <name>', 'the approving operator')
    .option('--json', 'print one JSON document')
    .description('sign the plan in place with the operator’s key')
    .action(impl((m) => m.approveCmd));
  d.command('run')
    .argument('<file>')
    .option('--batch <n>', 'subjects per batch', '500')
    .option('--json', 'print one JSON document')
    .description('execute (or resume) an approved plan: batches, idempotent, crash-safe')
    .action(impl((m) => m.runCmd));
  d.command('status')
    .argument('<file>')
    .option('--json', 'print one JSON document')
    .description('state and progress of a plan')
    .action(impl((m) => m.statusCmd));
  d.command('ack')
    .argument('<file>')
    .requiredOption('--party <id>', 'the recipient that acknowledges')
    .requiredOption('--receipt <receipt>', 'its signed deletion-ack (a file, or the JSON itself)')
    .option('--json', 'print one JSON document')
    .description('record a third party’s signed deletion acknowledgment')
    .action(impl((m) => m.ackCmd));
  d.command('verify')
    .argument('<file>')
    .option(
      '--canaries <file>',
      'canary values (one per line) for a residual scan of every inventoried file',
    )
    .option('--json', 'print one JSON document')
    .description('check keys absent, rows gone, and (with --canaries) no residue; exit 1 when not')
    .action(impl((m) => m.verifyCmd));
  d.command('report')
    .argument('<file>')
    .option('--html <out>', 'write the self-contained HTML report')
    .option('--notice <out>', 'write the public notice (Chinese and English)')
    .option('--json', 'print one JSON document')
    .description('the disposal report and public notice (GB/T 35273 §6.4)')
    .action(impl((m) => m.reportCmd));
  const rec = d
    .command('recipient')
    .description('entrusted processors and third-party recipients holding copies');
  rec
    .command('add')
    .argument('<id>')
    .requiredOption('--name <name>', 'organisation name')
    .requiredOption('--kind <kind>', 'processor or recipient')
    .requiredOption('--contact <contact>', 'where notices go')
    .option('--categories <list>', 'data categories it holds (comma-separated; default all)')
    .option(
      '--public-key <file>',
      'its Ed25519 public key (PEM or base64 SPKI) for signed acknowledgments',
    )
    .option('--json', 'print one JSON document')
    .action(impl((m) => m.recipientAdd));
  rec
    .command('list')
    .option('--json', 'print one JSON document')
    .action(impl((m) => m.recipientList));
  const cert = d.command('certificate').description('disposal certificates');
  cert
    .command('request')
    .argument('<file>', 'the plan that will dispose of the subject')
    .option('--id-stdin', 'read the citizen’s ID number from stdin')
    .option('--phone-stdin', 'read the subscriber’s phone number from stdin')
    .option('--json', 'print one JSON document')
    .description('before a bulk run: ask for a per-subject certificate; prints the retrieval code')
    .action(impl((m) => m.certRequest));
  cert
    .command('get')
    .requiredOption('--out <file>', 'where to write the certificate bundle')
    .option('--json', 'print one JSON document')
    .description('fetch a per-subject certificate bundle by its retrieval code (read from stdin)')
    .action(impl((m) => m.certGet));
  cert
    .command('plan')
    .argument('<file>', 'the plan')
    .requiredOption('--out <file>', 'where to write the certificate bundle')
    .option('--json', 'print one JSON document')
    .description('write the plan’s signed certificate with its inclusion proof')
    .action(impl((m) => m.certPlan));
  cert
    .command('check')
    .argument('<bundle>')
    .option('--log-key <key>', 'pin the audit log’s verifier key')
    .option('--key <spki>', 'pin the instance’s certificate key (base64 SPKI)')
    .option('--json', 'print one JSON document')
    .description('check a certificate bundle offline: signature, logged hash, inclusion proof')
    .action(impl((m) => m.certCheck));
}
