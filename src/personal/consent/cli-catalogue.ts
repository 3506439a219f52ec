// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of `healthcode purpose …` and `healthcode service …`: the catalogue
 * with PIPL art. 13 bases, operator additions behind the art. 55 PIA gate, and retirement.
 */
import type { Store } from '../../platform/runtime/index.js';
import { UsageError } from '../../kernel/shared/errors.js';
import {
  addPurpose,
  addService,
  loadCatalogue,
  retirePurpose,
  retireService,
  purposeOf,
} from './catalogue-service.js';
import { iso, ok, type Outcome } from './cli-support.js';
import { parsePiaDocument, parsePurposeDocument, parseServiceDocument } from './definitions.js';
import { isActiveAt, type Purpose, type Service } from './model.js';
import { isPiaKind, listPias, recordPia, PIA_KINDS } from './pia.js';
import { consentRuntime, type ConsentRuntime } from './wiring.js';

function purposeJson(p: Purpose, services: readonly Service[], now: Date) {
  return {
    id: p.id,
    name: p.name,
    legalBasis: p.legalBasis,
    validFrom: iso(p.validFrom),
    validTo: iso(p.validTo),
    active: isActiveAt(p, now),
    categories: p.categories,
    retention: p.retention,
    separateConsent: p.separateConsent,
    guardianRule: p.guardianRule,
    recipients: p.recipients,
    builtin: p.builtin,
    services: services.filter((s) => s.purposes.includes(p.id)).map((s) => s.id),
  };
}

function serviceJson(s: Service, now: Date) {
  return {
    id: s.id,
    name: s.name,
    purposes: s.purposes,
    categories: s.categories,
    core: s.core,
    validFrom: iso(s.validFrom),
    validTo: iso(s.validTo),
    active: isActiveAt(s, now),
    builtin: s.builtin,
  };
}

async function runtime<T>(store: Store, fn: (rt: ConsentRuntime) => Promise<T>): Promise<T> {
  const rt = await consentRuntime(store);
  const out = await fn(rt);
  await rt.finish();
  return out;
}

export async function purposeList(store: Store): Promise<Outcome> {
  const rt = await consentRuntime(store);
  const c = await loadCatalogue(rt.deps);
  const now = store.clock.now();
  const services = [...c.services.values()];
  const purposes = [...c.purposes.values()].map((p) => purposeJson(p, services, now));
  const text = purposes
    .map(
      (p) =>
        `${p.id}\t${p.legalBasis}\t${p.active ? 'active' : 'retired'}\t${p.retention}\t${p.categories.join(',')}`,
    )
    .join('\n');
  return ok({ purposes }, text);
}

export async function purposeShow(store: Store, id: string): Promise<Outcome> {
  const rt = await consentRuntime(store);
  const c = await loadCatalogue(rt.deps);
  const p = purposeOf(c, id);
  const pias = (await listPias(store.db.kysely, { ref: id })).map((r) => ({
    id: r.id,
    kind: r.kind,
    assessor: r.assessor,
    assessedAt: iso(r.assessedAt),
    keepUntil: iso(r.keepUntil),
  }));
  const json = {
    ...purposeJson(p, [...c.services.values()], store.clock.now()),
    description: p.description,
    pias,
  };
  const text = [
    `${p.id} — ${p.name.zh} / ${p.name.en}`,
    `legal basis: PIPL art. ${p.legalBasis}; valid ${json.validFrom} → ${json.validTo ?? 'open'}`,
    `categories: ${p.categories.join(', ')}`,
    `retention: ${p.retention}; separate consent: ${p.separateConsent}; guardian: ${p.guardianRule}`,
    `services: ${json.services.join(', ') || '(none)'}`,
    `PIA records: ${pias.length}`,
  ].join('\n');
  return ok(json, text);
}

export async function purposeAdd(store: Store, doc: unknown, actor: string): Promise<Outcome> {
  const input = parsePurposeDocument(doc);
  return runtime(store, async (rt) => {
    const p = await addPurpose(rt.deps, input, actor);
    return ok(
      { purpose: purposeJson(p, [], store.clock.now()) },
      `added purpose ${p.id} (PIPL art. ${p.legalBasis})`,
    );
  });
}

export async function purposeRetire(
  store: Store,
  id: string,
  actor: string,
  at: Date | undefined,
): Promise<Outcome> {
  return runtime(store, async (rt) => {
    const p = await retirePurpose(rt.deps, id, actor, at);
    return ok(
      { purpose: purposeJson(p, [], store.clock.now()) },
      `retired purpose ${p.id}: basis closed at ${iso(p.validTo)}`,
    );
  });
}

export async function piaAdd(
  store: Store,
  kind: string,
  ref: string,
  doc: unknown,
  actor: string,
): Promise<Outcome> {
  if (!isPiaKind(kind)) {
    throw new UsageError(`--kind must be one of ${PIA_KINDS.join(', ')}`);
  }
  const body = parsePiaDocument(doc);
  return runtime(store, async (rt) => {
    const r = await recordPia(rt.deps, { kind, ref, ...body }, actor);
    return ok(
      { pia: { ...r, assessedAt: iso(r.assessedAt), keepUntil: iso(r.keepUntil) } },
      `recorded PIA ${r.id} (${kind} of ${ref}), kept until ${iso(r.keepUntil)}`,
    );
  });
}

export async function piaList(store: Store): Promise<Outcome> {
  const rows = await listPias(store.db.kysely);
  const pias = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    ref: r.ref,
    assessor: r.assessor,
    assessedAt: iso(r.assessedAt),
    keepUntil: iso(r.keepUntil),
  }));
  return ok({ pias }, pias.map((p) => `${p.id}\t${p.kind}\t${p.ref}\t${p.assessedAt}`).join('\n'));
}

export async function serviceList(store: Store): Promise<Outcome> {
  const rt = await consentRuntime(store);
  const c = await loadCatalogue(rt.deps);
  const now = store.clock.now();
  const services = [...c.services.values()].map((s) => serviceJson(s, now));
  const text = services
    .map(
      (s) =>
        `${s.id}\t${s.core ? 'core' : 'optional'}\t${s.active ? 'active' : 'retired'}\t${s.purposes.join(',')}`,
    )
    .join('\n');
  return ok({ services }, text);
}

export async function serviceAdd(store: Store, doc: unknown, actor: string): Promise<Outcome> {
  const input = parseServiceDocument(doc);
  return runtime(store, async (rt) => {
    const s = await addService(rt.deps, input, actor);
    return ok({ service: serviceJson(s, store.clock.now()) }, `added service ${s.id}`);
  });
}

export async function serviceRetire(store: Store, id: string, actor: string): Promise<Outcome> {
  return runtime(store, async (rt) => {
    await retireService(rt.deps, id, actor);
    return ok({ retired: id }, `retired service ${id}`);
  });
}
