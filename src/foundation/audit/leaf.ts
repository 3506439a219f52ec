// SPDX-License-Identifier: Apache-2.0
/**
 * @module Audit leaves: one event, one leaf, as deterministic CBOR (RFC 8949 §4.2.1, cborg).
 * A leaf names its subject only by the vault's random audit id. The details of accesses and
 * refusals (actor, purpose, category, action, outcome, facts) are sealed with AES-256-GCM
 * (NIST SP 800-38D, node:crypto) under the month's log key, with the clear header as associated
 * data; the leaf hash covers the ciphertext, so destroying the key later erases the details and
 * leaves every proof valid (DESIGN.md §7; DOMAIN.md §6 req. 25).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { decode } from 'cborg';
import type { AuditEvent, AuditKind } from '../../platform/runtime/audit-port.js';
import { cbor } from './cbor.js';
import { AuditLeafMalformedError } from './errors.js';
import { isPeriod } from './period.js';

/** Every kind the port defines. */
export const AUDIT_KINDS: readonly AuditKind[] = [
  'access',
  'refusal',
  'write',
  'consent',
  'colour',
  'key',
  'erasure',
  'certificate',
  'request',
  'pia',
  'purge',
  'system',
];

/** Kinds whose details are security-log content, sealed under the period key. */
export const SEALED_KINDS: ReadonlySet<AuditKind> = new Set<AuditKind>(['access', 'refusal']);

export const LEAF_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = 'healthcode/audit/leaf/v1';

type Facts = Readonly<Record<string, string | number | boolean | null>>;

/** The details of an event: clear in most leaves, sealed in accesses and refusals. */
export interface LeafDetails {
  readonly actor: string;
  readonly action: string;
  readonly outcome: string;
  readonly purpose?: string;
  readonly category?: string;
  readonly details?: Facts;
}

interface LeafHeader {
  readonly version: number;
  readonly kind: AuditKind;
  readonly at: Date;
  readonly subjectAuditId?: string;
}

/** A decoded leaf: its header, and either clear details or the sealed box. */
export type DecodedLeaf =
  | (LeafHeader & { readonly sealed: false; readonly body: LeafDetails })
  | (LeafHeader & {
      readonly sealed: true;
      readonly period: string;
      readonly nonce: Buffer;
      readonly box: Buffer;
    });

/** The month key an event's details are sealed under. */
export interface SealingKey {
  readonly period: string;
  readonly key: Uint8Array;
}

// A GB 11643 ID number (18 or old 15 digits) or a mainland mobile number standing as a token.
const LOOKS_PERSONAL = [
  /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/,
  /(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/,
  /(?<![\dA-Za-z])(\+?86)?1[3-9]\d{9}(?![\dA-Za-z])/,
];

/**
 * A guard against the identifiers most often leaked into logs, not a detector of all personal
 * data. Free text is also checked with spaces and dashes removed ("139 1234 5678"); ids are
 * checked as they are, so a random hex or base64url id is never mistaken for a number.
 */
function looksPersonal(value: string, compact = true): boolean {
  // Every pattern needs at least 11 digits; most values have none, so count before matching.
  let digits = 0;
  for (let i = 0; i < value.length && digits < 11; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      digits++;
    }
  }
  if (digits < 11) {
    return false;
  }
  const forms = compact ? [value, value.replace(/[\s-]/g, '')] : [value];
  return forms.some((v) => LOOKS_PERSONAL.some((re) => re.test(v)));
}

function assertText(value: unknown, label: string, max: number, optional = false): void {
  if (value === undefined && optional) {
    return;
  }
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new TypeError(`"${label}" expected a non-empty string of at most ${max} characters`);
  }
  if (looksPersonal(value)) {
    throw new RangeError(
      `"${label}" looks like an ID number or phone; the log takes no personal data`,
    );
  }
}

/** Checks an event before it becomes a leaf (caller bugs throw TypeError / RangeError). */
export function assertAuditEvent(event: AuditEvent): void {
  if (!AUDIT_KINDS.includes(event.kind)) {
    throw new TypeError('"kind" is not an audit kind');
  }
  if (!(event.at instanceof Date) || Number.isNaN(event.at.getTime()) || event.at.getTime() < 0) {
    throw new TypeError('"at" expected a valid date');
  }
  assertText(event.actor, 'actor', 200);
  assertText(event.action, 'action', 100);
  assertText(event.outcome, 'outcome', 100);
  assertText(event.purpose, 'purpose', 100, true);
  assertText(event.category, 'category', 100, true);
  if (event.subjectAuditId !== undefined) {
    // A random id: letters, digits and a few separators, never a bare number (ID number, phone).
    if (
      typeof event.subjectAuditId !== 'string' ||
      !/^[A-Za-z0-9_.:-]{8,128}$/.test(event.subjectAuditId) ||
      /^[\d+-]+$/.test(event.subjectAuditId) ||
      looksPersonal(event.subjectAuditId, false)
    ) {
      throw new RangeError('"subjectAuditId" must be the vault\'s random audit id');
    }
  }
  const facts = event.details ?? {};
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) {
    throw new TypeError('"details" expected a flat record');
  }
  const entries = Object.entries(facts);
  if (entries.length > 64) {
    throw new RangeError('"details" takes at most 64 facts');
  }
  for (const [key, value] of entries) {
    if (key === '' || key.length > 64) {
      throw new RangeError('"details" keys must be 1 to 64 characters');
    }
    if (typeof value === 'string') {
      if (value.length > 1000) {
        throw new RangeError(`"details.${key}" is longer than 1000 characters`);
      }
      if (looksPersonal(value)) {
        throw new RangeError(
          `"details.${key}" looks like an ID number or phone; the log takes no personal data`,
        );
      }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new RangeError(`"details.${key}" must be a finite number`);
      }
    } else if (typeof value !== 'boolean' && value !== null) {
      throw new TypeError(`"details.${key}" must be a string, number, boolean or null`);
    }
  }
}

function detailsOf(event: AuditEvent): Record<string, unknown> {
  const body: Record<string, unknown> = {
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
  };
  if (event.purpose !== undefined) {
    body.purpose = event.purpose;
  }
  if (event.category !== undefined) {
    body.category = event.category;
  }
  if (event.details !== undefined && Object.keys(event.details).length > 0) {
    body.details = event.details;
  }
  return body;
}

function headerOf(event: AuditEvent): Record<string, unknown> {
  const header: Record<string, unknown> = {
    v: LEAF_VERSION,
    kind: event.kind,
    at: event.at.getTime(),
  };
  if (event.subjectAuditId !== undefined) {
    header.subject = event.subjectAuditId;
  }
  return header;
}

function sealAad(header: Record<string, unknown>, period: string): Buffer {
  return cbor({ ...header, aad: AAD_LABEL, period });
}

/**
 * Encodes an event as leaf bytes. Sealed kinds need the period key and a fresh 12-byte nonce
 * (random; at most 2^32 seals per monthly key keeps GCM's random-nonce bound, SP 800-38D §8.3).
 */
export function encodeLeaf(event: AuditEvent, sealing?: SealingKey, nonce?: Uint8Array): Buffer {
  assertAuditEvent(event);
  const header = headerOf(event);
  if (!SEALED_KINDS.has(event.kind)) {
    return cbor(Object.assign(header, detailsOf(event)));
  }
  if (!sealing || !nonce || nonce.length !== NONCE_BYTES || sealing.key.length !== 32) {
    throw new TypeError(`a ${event.kind} leaf needs a 32-byte period key and a 12-byte nonce`);
  }
  const cipher = createCipheriv('aes-256-gcm', sealing.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(sealAad(header, sealing.period));
  const box = Buffer.concat([
    cipher.update(cbor(detailsOf(event))),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return cbor({ ...header, sealed: { period: sealing.period, nonce: Buffer.from(nonce), box } });
}

function fail(what: string): never {
  throw new AuditLeafMalformedError(`the leaf is malformed: ${what}`);
}

function optText(value: unknown, what: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    fail(what);
  }
  return value;
}

function readBody(m: Record<string, unknown>): LeafDetails {
  const actor = optText(m.actor, 'actor');
  const action = optText(m.action, 'action');
  const outcome = optText(m.outcome, 'outcome');
  if (actor === undefined || action === undefined || outcome === undefined) {
    fail('missing actor, action or outcome');
  }
  const purpose = optText(m.purpose, 'purpose');
  const category = optText(m.category, 'category');
  const details = m.details;
  if (details !== undefined && (typeof details !== 'object' || details === null)) {
    fail('details');
  }
  return {
    actor,
    action,
    outcome,
    ...(purpose !== undefined ? { purpose } : {}),
    ...(category !== undefined ? { category } : {}),
    ...(details !== undefined ? { details: details as Facts } : {}),
  };
}

function decodeCanonical(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = decode(bytes, {
      strict: true,
      allowUndefined: false,
      allowIndefinite: false,
      allowBigInt: false,
      rejectDuplicateMapKeys: true,
    });
  } catch {
    fail('not CBOR');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('not a map');
  }
  if (!cbor(value).equals(Buffer.from(bytes))) {
    fail('not deterministic CBOR');
  }
  return value as Record<string, unknown>;
}

/** Decodes leaf bytes strictly (canonical CBOR, known version and kind). */
export function decodeLeaf(bytes: Uint8Array): DecodedLeaf {
  const m = decodeCanonical(bytes);
  if (m.v !== LEAF_VERSION) {
    fail('unknown version');
  }
  if (typeof m.kind !== 'string' || !AUDIT_KINDS.includes(m.kind as AuditKind)) {
    fail('unknown kind');
  }
  if (typeof m.at !== 'number' || !Number.isSafeInteger(m.at) || m.at < 0) {
    fail('time');
  }
  const subject = optText(m.subject, 'subject');
  const header: LeafHeader = {
    version: LEAF_VERSION,
    kind: m.kind as AuditKind,
    at: new Date(m.at),
    ...(subject !== undefined ? { subjectAuditId: subject } : {}),
  };
  if (!SEALED_KINDS.has(header.kind)) {
    return { ...header, sealed: false, body: readBody(m) };
  }
  const s = m.sealed as Record<string, unknown> | undefined;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.period !== 'string' ||
    !isPeriod(s.period) ||
    !(s.nonce instanceof Uint8Array) ||
    s.nonce.length !== NONCE_BYTES ||
    !(s.box instanceof Uint8Array) ||
    s.box.length < TAG_BYTES
  ) {
    fail('sealed details');
  }
  return {
    ...header,
    sealed: true,
    period: s.period,
    nonce: Buffer.from(s.nonce),
    box: Buffer.from(s.box),
  };
}

/** Opens a sealed leaf's details with its period key; a wrong key or damage is malformed. */
export function openSealed(leaf: DecodedLeaf & { sealed: true }, key: Uint8Array): LeafDetails {
  const header = headerOf({
    kind: leaf.kind,
    at: leaf.at,
    actor: 'x',
    action: 'x',
    outcome: 'x',
    ...(leaf.subjectAuditId !== undefined ? { subjectAuditId: leaf.subjectAuditId } : {}),
  });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, leaf.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(sealAad(header, leaf.period));
    decipher.setAuthTag(leaf.box.subarray(leaf.box.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(leaf.box.subarray(0, leaf.box.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return readBody(decodeCanonical(plain));
  } catch (err) {
    if (err instanceof AuditLeafMalformedError) {
      throw err;
    }
    throw new AuditLeafMalformedError('the sealed details do not open under the period key');
  }
}
