// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of `healthcode request …` (DOMAIN.md §6 req. 19). A citizen opens a
 * request with their phone on stdin: the first run sends a one-time code, the second (with
 * `--otp`) proves who they are and lodges the request, executed at once where an executor is
 * wired. An operator may open one for a subject verified in person.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Store } from '../../platform/runtime/index.js';
import { ok, type CommandOutcome } from '../../platform/runtime/cli-kit.js';
import { normalisePhone } from '../../kernel/domain/index.js';
import { UsageError } from '../../kernel/shared/errors.js';
import { localDate } from './calendar.js';
import { IdentityNotVerifiedError, NotWiredError } from './errors.js';
import type { IdentityMethod, RightsRequest } from './model.js';
import { isIdentityMethod, isOverdue } from './model.js';
import { completeRequest, openRequest, refuseRequest, verifyIdentity } from './service.js';
import { getRequest, listRequests } from './tracking.js';
import { importPackage } from './import.js';
import { trustOf } from './package.js';
import type { RightsPorts, RightsRuntime } from './runtime.js';

function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

function requestJson(r: RightsRequest, store: Store) {
  const now = store.clock.now();
  return {
    id: r.id,
    type: r.type,
    state: r.state,
    subjectId: r.subjectId,
    channel: r.channel,
    identityMethod: r.identityMethod,
    params: r.params,
    openedAt: iso(r.openedAt),
    dueAt: iso(r.dueAt),
    dueDate: localDate(new Date(r.dueAt.getTime() - 1), store.config.timeZone),
    answerBy: iso(r.answerBy),
    overdue: isOverdue(r, now),
    closedAt: iso(r.closedAt),
    refusal: r.refusal,
    result: r.result,
  };
}

function line(r: RightsRequest, store: Store): string {
  const j = requestJson(r, store);
  return `${j.id}\t${j.type}\t${j.state}\tdue ${j.dueDate}${j.overdue ? ' OVERDUE' : ''}`;
}

async function finishing<T>(rt: RightsRuntime, fn: () => Promise<T>): Promise<T> {
  const out = await fn();
  await rt.finish();
  return out;
}

export interface OpenOptions {
  type: string;
  phone?: string;
  otp?: string;
  subject?: string;
  verifiedBy?: string;
  purpose?: string;
  record?: string;
  category?: string;
  day?: string;
  valueFile?: string;
  humanReview?: boolean;
  out?: string;
  actor: string;
}

/** Request types whose result is a file written to `--out`. */
const WRITES_FILE = new Set(['access', 'copy', 'portability', 'explanation']);

/** The corrected value, read from a file (personal data never on the command line). */
function readValue(file: string | undefined): unknown {
  if (file === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    throw new UsageError('--value-file must hold one JSON value');
  }
}

function paramsOf(o: OpenOptions): Record<string, string> {
  return {
    ...(o.purpose === undefined ? {} : { purposeId: o.purpose }),
    ...(o.record === undefined ? {} : { recordId: o.record }),
    ...(o.category === undefined ? {} : { category: o.category }),
    ...(o.day === undefined ? {} : { day: o.day }),
    ...(o.humanReview === true ? { humanReview: 'true' } : {}),
  };
}

export async function requestOpen(
  ports: RightsPorts,
  store: Store,
  o: OpenOptions,
): Promise<CommandOutcome> {
  if (
    WRITES_FILE.has(o.type) &&
    o.out === undefined &&
    (o.phone === undefined || o.otp !== undefined)
  ) {
    throw new UsageError(
      `a ${o.type} request writes a file: give --out FILE (outside the data dir)`,
    );
  }
  if (o.type === 'correction' && o.valueFile === undefined) {
    throw new UsageError('a correction needs --value-file FILE with the corrected value');
  }
  const rt = await ports.openRuntime(store);
  const params = paramsOf(o);
  if (o.phone !== undefined) {
    const phone = normalisePhone(o.phone);
    if (rt.identity === undefined) {
      throw new NotWiredError('identity verification by one-time code is not wired');
    }
    const purpose = `rights-${o.type}`;
    if (o.otp === undefined) {
      await rt.identity.sendCode(store.db.kysely, phone, purpose);
      return ok(
        { codeSent: true },
        'a one-time code was sent to the phone; run again with --otp CODE',
      );
    }
    const who = await rt.identity.confirm(store.db.kysely, phone, purpose, o.otp);
    if (who === undefined) {
      throw new IdentityNotVerifiedError('the one-time code is wrong, expired or already used');
    }
    return openAndRun(
      store,
      rt,
      { ...o, subject: who.subjectId, verifiedBy: 'one-time-code' },
      params,
      'phone',
    );
  }
  if (o.subject === undefined) {
    throw new UsageError('give --phone-stdin (citizen) or --subject (operator intake)');
  }
  if (o.verifiedBy !== undefined && !isIdentityMethod(o.verifiedBy)) {
    throw new UsageError('--verified-by is one-time-code, in-person or guardian-documents');
  }
  return openAndRun(store, rt, o, params, 'operator');
}

async function openAndRun(
  store: Store,
  rt: RightsRuntime,
  o: OpenOptions,
  params: Record<string, string>,
  channel: 'phone' | 'operator',
): Promise<CommandOutcome> {
  return finishing(rt, async () => {
    let r = await openRequest(rt.deps, {
      type: o.type,
      channel,
      ...(o.subject === undefined ? {} : { subjectId: o.subject }),
      ...(o.verifiedBy === undefined ? {} : { identityMethod: o.verifiedBy as IdentityMethod }),
      params,
      actor: o.actor,
    });
    if (r.state === 'identity-verified' && rt.deps.executors?.[r.type] !== undefined) {
      const input = readValue(o.valueFile);
      r = await completeRequest(rt.deps, r.id, {
        actor: o.actor,
        ...(o.out === undefined ? {} : { outPath: o.out }),
        ...(input === undefined ? {} : { input }),
      });
    }
    const pending =
      r.state === 'completed'
        ? ''
        : `\n${r.type} awaits identity verification or an operator; track it with "request show ${r.id}"`;
    return ok({ request: requestJson(r, store) }, `${line(r, store)}${pending}`);
  });
}

export async function requestList(store: Store, overdue: boolean): Promise<CommandOutcome> {
  const rows = await listRequests({ db: store.db.kysely, clock: store.clock }, { overdue });
  return ok(
    { requests: rows.map((r) => requestJson(r, store)) },
    rows.map((r) => line(r, store)).join('\n'),
  );
}

export async function requestShow(store: Store, id: string): Promise<CommandOutcome> {
  const r = await getRequest(store.db.kysely, id);
  const history = r.history.map((h) => ({ at: iso(h.at), from: h.from, to: h.to, actor: h.actor }));
  return ok(
    { request: requestJson(r, store), history },
    [
      line(r, store),
      ...history.map((h) => `  ${h.at} ${h.from ?? '-'} → ${h.to} (${h.actor})`),
    ].join('\n'),
  );
}

export async function requestVerify(
  ports: RightsPorts,
  store: Store,
  id: string,
  o: { subject: string; method: string; actor: string },
): Promise<CommandOutcome> {
  if (!isIdentityMethod(o.method)) {
    throw new UsageError('--method is one-time-code, in-person or guardian-documents');
  }
  const rt = await ports.openRuntime(store);
  return finishing(rt, async () => {
    const r = await verifyIdentity(rt.deps, id, {
      subjectId: o.subject,
      method: o.method as IdentityMethod,
      actor: o.actor,
    });
    return ok({ request: requestJson(r, store) }, line(r, store));
  });
}

export async function requestComplete(
  ports: RightsPorts,
  store: Store,
  id: string,
  o: { out?: string; attest?: boolean; valueFile?: string; actor: string },
): Promise<CommandOutcome> {
  const rt = await ports.openRuntime(store);
  const input = readValue(o.valueFile);
  return finishing(rt, async () => {
    const r = await completeRequest(rt.deps, id, {
      actor: o.actor,
      attested: o.attest === true,
      ...(o.out === undefined ? {} : { outPath: o.out }),
      ...(input === undefined ? {} : { input }),
    });
    return ok({ request: requestJson(r, store) }, line(r, store));
  });
}

export async function requestRefuse(
  ports: RightsPorts,
  store: Store,
  id: string,
  o: { reason: string; actor: string },
): Promise<CommandOutcome> {
  const rt = await ports.openRuntime(store);
  return finishing(rt, async () => {
    const r = await refuseRequest(rt.deps, id, o);
    return ok(
      { request: requestJson(r, store) },
      `${line(r, store)}\nreason: ${o.reason}\n${r.refusal?.complaintRoute ?? ''}`,
    );
  });
}

/** The trust file another instance needs to import this instance's portability packages. */
export async function requestPackageKey(
  ports: RightsPorts,
  store: Store,
  out: string | undefined,
): Promise<CommandOutcome> {
  const rt = await ports.openRuntime(store);
  const key = await (await rt.vaultPorts()).packageKey();
  const trust = trustOf(key, store.config.responsibleParty);
  const text = JSON.stringify(trust, null, 2) + '\n';
  if (out !== undefined) {
    writeFileSync(out, text);
  }
  await rt.finish();
  return ok({ trust }, out === undefined ? text.trimEnd() : `trust file written (key ${key.kid})`);
}

/** `healthcode import FILE --trust KEYFILE`: a portability package from another instance. */
export async function importCommand(
  ports: RightsPorts,
  store: Store,
  file: string,
  o: { trust: string; actor: string },
): Promise<CommandOutcome> {
  let packageText: string;
  let trustText: string;
  try {
    packageText = readFileSync(file, 'utf8');
    trustText = readFileSync(o.trust, 'utf8');
  } catch {
    throw new UsageError('cannot read the package or the trust file');
  }
  const iv = await ports.openInstanceVault(store);
  try {
    const r = await importPackage(
      { db: store.db.kysely, clock: store.clock, vault: iv.vault, actor: o.actor },
      packageText,
      trustText,
    );
    return ok(
      { import: r },
      `imported package ${r.packageId} from ${r.issuer}: ${r.subjects} subjects (${r.created} new), ${r.records} records, ${r.entries} entries, ${r.links} links`,
    );
  } finally {
    await iv.finish();
  }
}
