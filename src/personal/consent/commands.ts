// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for `healthcode purpose`, `service` and `consent` (DESIGN.md §9);
 * implementations load through one loader. Subjects are opaque ids; no personal data is taken
 * from argv.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  action,
  commandEnv,
  readStdin,
  withStore,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import type { Store } from '../../platform/runtime/index.js';
import { UsageError } from '../../kernel/shared/errors.js';
import type {
  GrantOptions,
  campaignPropose,
  consentGuardCheck,
  consentWithdraw,
} from './cli-ledger.js';
import type { SubjectFactsSource } from './wiring.js';

/** The one loader of the implementations (so `--help` loads none of them). */
const impl = () => import('./cli.js');

/** Runs an implementation against the instance named by the global options. */
function run<A extends unknown[]>(
  fn: (store: Store, cmd: Command, ...args: A) => Promise<CommandOutcome>,
) {
  return action(async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    return withStore(await commandEnv(cmd), (store) => fn(store, cmd, ...(args.slice(0, -1) as A)));
  });
}

/** What the composition root hands the consent commands. */
export interface ConsentCommandDeps {
  /** The vault's answer to a subject's age (PIPL art. 31) for grants, answers and checks. */
  readonly subjectFacts: SubjectFactsSource;
}

export function registerConsentCommands(program: Command, deps: ConsentCommandDeps): void {
  const purpose = program
    .command('purpose')
    .description('processing purposes and their PIPL art. 13 legal bases');
  purpose
    .command('list')
    .description('list the purpose catalogue')
    .option('--json', 'print one JSON document')
    .action(run(async (store) => (await impl()).purposeList(store)));
  purpose
    .command('show')
    .description('one purpose, its services and PIA records')
    .argument('<id>', 'purpose id')
    .option('--json', 'print one JSON document')
    .action(run(async (store, _cmd, id: string) => (await impl()).purposeShow(store, id)));
  purpose
    .command('add')
    .description(
      'add a purpose from a JSON document (sensitive categories need a stored PIA first)',
    )
    .requiredOption('--file <file>', 'JSON document, or - for stdin')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, o: { file: string; actor: string }) => {
        const m = await impl();
        return m.purposeAdd(store, await m.readJsonDocument(o.file), o.actor);
      }),
    );
  purpose
    .command('retire')
    .description('retire a purpose: close its legal basis now (disposal then deletes its data)')
    .argument('<id>', 'purpose id')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, id: string, o: { actor: string }) =>
        (await impl()).purposeRetire(store, id, o.actor, undefined),
      ),
    );
  const pia = purpose.command('pia').description('privacy-impact assessments (PIPL arts. 55–56)');
  pia
    .command('add')
    .description(
      'record a PIA from a JSON document {lawfulness, necessity, impact, safeguards, assessor}',
    )
    .requiredOption(
      '--kind <kind>',
      'sensitive-processing | automated-decision | provision-to-others | cross-border | other-major-impact',
    )
    .requiredOption('--ref <ref>', 'what is assessed: a purpose id, rule-set id, recipient …')
    .requiredOption('--file <file>', 'JSON document, or - for stdin')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, o: { kind: string; ref: string; file: string; actor: string }) => {
        const m = await impl();
        return m.piaAdd(store, o.kind, o.ref, await m.readJsonDocument(o.file), o.actor);
      }),
    );
  pia
    .command('list')
    .description('list stored PIA records')
    .option('--json', 'print one JSON document')
    .action(run(async (store) => (await impl()).piaList(store)));

  const service = program
    .command('service')
    .description('services citizens use, mapped to purposes');
  service
    .command('list')
    .description('list the service catalogue')
    .option('--json', 'print one JSON document')
    .action(run(async (store) => (await impl()).serviceList(store)));
  service
    .command('add')
    .description('add a service from a JSON document')
    .requiredOption('--file <file>', 'JSON document, or - for stdin')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, o: { file: string; actor: string }) => {
        const m = await impl();
        return m.serviceAdd(store, await m.readJsonDocument(o.file), o.actor);
      }),
    );
  service
    .command('retire')
    .description('retire a service')
    .argument('<id>', 'service id')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, id: string, o: { actor: string }) =>
        (await impl()).serviceRetire(store, id, o.actor),
      ),
    );

  registerLedgerCommands(program, deps);
}

function registerLedgerCommands(program: Command, deps: ConsentCommandDeps): void {
  const consent = program
    .command('consent')
    .description('the consent ledger, receipts, notices and the purpose guard');
  declareConsentChanges(consent, deps);
  declareLedgerReads(consent, deps);
  declareCampaignCommands(consent, deps);
}

/** `consent grant` and `consent withdraw`: each with its signed receipt. */
function declareConsentChanges(consent: Command, deps: ConsentCommandDeps): void {
  consent
    .command('grant')
    .description('record a consent and print its signed receipt')
    .argument('<subject>', 'opaque subject id')
    .requiredOption('--purpose <id>', 'purpose id')
    .requiredOption('--categories <list>', 'comma-separated data categories')
    .option('--separate', 'a separate consent for sensitive categories (PIPL art. 29)')
    .option('--guardian <subject>', 'the guardian consenting for an under-14 (art. 31)')
    .option('--under-14', "treat the subject as under 14 (adds protection; else the vault's age)")
    .option(
      '--notice <hash>',
      'SHA-256 of the privacy policy shown (default: the current one in --lang)',
    )
    .option('--lang <lang>', 'notice language: zh or en', 'zh')
    .option('--method <method>', 'collection method recorded in the receipt', 'cli')
    .option('--out <file>', 'write the receipt to this new file')
    .option('--actor <name>', 'who acts', 'citizen:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, subject: string, o: GrantOptions) =>
        (await impl()).consentGrant(store, subject, o, deps.subjectFacts),
      ),
    );
  consent
    .command('withdraw')
    .description('withdraw consent (all categories of the purpose by default); effective at once')
    .argument('<subject>', 'opaque subject id')
    .requiredOption('--purpose <id>', 'purpose id')
    .option('--categories <list>', 'only these categories')
    .option('--lang <lang>', 'receipt language: zh or en', 'zh')
    .option('--method <method>', 'collection method recorded in the receipt', 'cli')
    .option('--out <file>', 'write the receipt to this new file')
    .option('--actor <name>', 'who acts', 'citizen:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, subject: string, o: Parameters<typeof consentWithdraw>[2]) =>
        (await impl()).consentWithdraw(store, subject, o, deps.subjectFacts),
      ),
    );
}

/** `consent show|verify|check|notice|triggers`: the ledger, receipts, the guard, notices. */
function declareLedgerReads(consent: Command, deps: ConsentCommandDeps): void {
  consent
    .command('show')
    .description("a subject's consents, history and receipts")
    .argument('<subject>', 'opaque subject id')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, subject: string) => (await impl()).consentShow(store, subject)),
    );
  consent
    .command('verify')
    .description('verify a receipt (compact JWS) from FILE or stdin; exit 1 when forged or altered')
    .argument('[file]', 'receipt file; omit or - for stdin')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, file: string | undefined) => {
        const token =
          file === undefined || file === '-' ? await readStdin() : readFileSync(file, 'utf8');
        return (await impl()).consentVerify(store, token.trim());
      }),
    );
  consent
    .command('check')
    .description(
      'ask the guard whether a purpose may read a category of a subject now; exit 1 when refused',
    )
    .argument('<subject>', 'opaque subject id')
    .requiredOption('--purpose <id>', 'purpose id')
    .requiredOption('--category <category>', 'data category')
    .option('--under-14', "treat the subject as under 14 (adds protection; else the vault's age)")
    .option('--restricted', 'the data is restricted (PIPL art. 47 para. 2)')
    .option('--actor <name>', 'who reads', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, subject: string, o: Parameters<typeof consentGuardCheck>[2]) =>
        (await impl()).consentGuardCheck(store, subject, o, deps.subjectFacts),
      ),
    );
  consent
    .command('notice')
    .description('print a notice: the current one of --kind/--lang, or the version with HASH')
    .argument('[hash]', 'SHA-256 of a stored version')
    .option('--kind <kind>', 'privacy-policy or user-agreement', 'privacy-policy')
    .option('--lang <lang>', 'zh or en', 'zh')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, hash: string | undefined, o: { kind: string; lang: string }) =>
        (await impl()).consentNotice(store, hash, o),
      ),
    );
  consent
    .command('triggers')
    .description('deletion triggers from withdrawals (consumed by disposal)')
    .option('--pending', 'only those not yet handled')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, o: { pending?: boolean }) =>
        (await impl()).consentTriggers(store, o.pending === true),
      ),
    );
}

/** `consent campaign …`: repurposing campaigns asking fresh consent for a new purpose. */
function declareCampaignCommands(consent: Command, deps: ConsentCommandDeps): void {
  const campaign = consent
    .command('campaign')
    .description('repurposing campaigns: fresh consent for a new purpose');
  campaign
    .command('propose')
    .description('propose reusing data held under --from for a consent-based --purpose')
    .requiredOption('--purpose <id>', 'the new purpose')
    .requiredOption('--from <list>', 'purposes the data was collected for')
    .requiredOption('--categories <list>', 'categories asked for')
    .option('--notice <hash>', 'privacy policy shown (default: the current one in --lang)')
    .option('--lang <lang>', 'zh or en', 'zh')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, o: Parameters<typeof campaignPropose>[1]) =>
        (await impl()).campaignPropose(store, o),
      ),
    );
  campaign
    .command('invite')
    .description('record whom the campaign asks: opaque subject ids on stdin, one per line')
    .argument('<campaign>', 'campaign id')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, id: string) => {
        const ids = (await readStdin())
          .split(/\r?\n/)
          .map((s) => s.trim())
          .filter((s) => s !== '');
        return (await impl()).campaignInvite(store, id, ids);
      }),
    );
  campaign
    .command('answer')
    .description("record a citizen's answer (--accept grants consent and prints receipts)")
    .argument('<campaign>', 'campaign id')
    .argument('<subject>', 'opaque subject id')
    .option('--accept', 'consent to the new purpose')
    .option('--decline', 'refuse it')
    .option('--guardian <subject>', 'the guardian answering for an under-14')
    .option('--under-14', "treat the subject as under 14 (adds protection; else the vault's age)")
    .option('--actor <name>', 'who acts', 'citizen:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(
        async (
          store,
          _cmd,
          id: string,
          subject: string,
          o: {
            accept?: boolean;
            decline?: boolean;
            guardian?: string;
            under14?: boolean;
            actor: string;
          },
        ) => {
          if (o.accept === o.decline) {
            throw new UsageError('give exactly one of --accept or --decline');
          }
          return (await impl()).campaignAnswer(
            store,
            id,
            subject,
            { ...o, accept: o.accept === true },
            deps.subjectFacts,
          );
        },
      ),
    );
  campaign
    .command('report')
    .description('list campaigns, or the numbers of one')
    .argument('[campaign]', 'campaign id')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, _cmd, id: string | undefined) => (await impl()).campaignShow(store, id)),
    );
  campaign
    .command('close')
    .description('close a campaign (no more answers)')
    .argument('<campaign>', 'campaign id')
    .option('--json', 'print one JSON document')
    .action(run(async (store, _cmd, id: string) => (await impl()).campaignClose(store, id)));
}
