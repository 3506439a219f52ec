// SPDX-License-Identifier: Apache-2.0
/**
 * @module Per-subject certificates (DOMAIN.md req. 17–18): before a bulk run a citizen may ask
 * for one and receives a random retrieval code; the certificate is issued when their data goes
 * and stored under the code's hash alone — the link to the subject is dropped at that moment. A
 * rights deletion gets its certificate directly. Certificates name the subject only by a
 * commitment to the code, which only the citizen holds.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { certificateKey, recordCertificate } from './cert-store.js';
import {
  SUBJECT_CERTIFICATE_KIND,
  subjectCommitment,
  type SubjectCertificate,
} from './certificate.js';
import { RetrievalCodeUnknownError } from './errors.js';
import type { PlanDoc, StoreMethod } from './model.js';
import { planHash } from './plan-file.js';
import type { CertificateLog, DisposalTarget } from './ports.js';
import * as repo from './repository.js';
import { restrictUntil } from './retained.js';
import { heldOf, splitCats } from './tally.js';

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789'; // no I, L, O, U, 0, 1: read aloud safely

/** A random retrieval code, `XXXXX-XXXXX-XXXXX-XXXXX` (20 symbols of 30: about 98 bits). */
export function newRetrievalCode(random: Store['random']): string {
  const chars: string[] = [];
  while (chars.length < 20) {
    for (const b of random.bytes(32)) {
      // 240 = 8 × 30: rejecting the top keeps every symbol equally likely.
      if (b < 240 && chars.length < 20) {
        chars.push(CODE_ALPHABET[b % 30]);
      }
    }
  }
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

function codeHash(code: string): string {
  return createHash('sha256').update(`disposal-code:${code.trim().toUpperCase()}`).digest('hex');
}

/** Registers a citizen's request for a certificate before a bulk run; returns the code. */
export async function requestSubjectCertificate(
  store: Store,
  planId: string,
  subjectId: string,
): Promise<string> {
  const code = newRetrievalCode(store.random);
  await repo.insertCertRequest(store.db.kysely, {
    code_hash: codeHash(code),
    plan_id: planId,
    subject_id: subjectId,
    certificate_id: null,
    created_at: store.clock.now().getTime(),
    issued_at: null,
  });
  return code;
}

/** The certificate stored under a code; an unknown or not-yet-issued code is an error. */
export async function retrieveSubjectCertificate(
  store: Store,
  code: string,
): Promise<SubjectCertificate> {
  const req = await repo.getCertRequest(store.db.kysely, codeHash(code));
  if (req === undefined || req.certificate_id === null) {
    throw new RetrievalCodeUnknownError(
      req === undefined
        ? 'no certificate request under this code'
        : 'the certificate is not issued yet (the run has not reached this subject)',
    );
  }
  const row = await repo.getCertificate(store.db.kysely, req.certificate_id);
  return JSON.parse(row!.body) as SubjectCertificate;
}

interface CertDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly log: CertificateLog;
  readonly wrapper: KeyWrapper;
  readonly actor: string;
}

const METHODS: readonly StoreMethod[] = ['crypto-erasure', 'key-destruction', 'physical-deletion'];

/** Issues the certificates requested for subjects of this batch (after their disposal). */
export async function issueRequestedCertificates(
  deps: CertDeps,
  plan: PlanDoc,
  batch: readonly repo.DisposalItemsTable[],
): Promise<void> {
  const db = deps.store.db.kysely;
  const open = await repo.openRequestsFor(
    db,
    batch.map((b) => b.subject_id),
  );
  if (open.length === 0) {
    return;
  }
  const now = deps.store.clock.now();
  const { privateKey } = await certificateKey(db, deps.wrapper, now.getTime());
  const until = restrictUntil(plan);
  const hash = planHash(plan);
  for (const req of open) {
    const item = batch.find((b) => b.subject_id === req.subject_id)!;
    const erased = splitCats(item.erase_cats);
    const residue = await deps.target.residue([
      { subjectId: item.subject_id, erased, whole: item.whole === 1, held: heldOf(item) },
    ]);
    const cert: SubjectCertificate = {
      kind: SUBJECT_CERTIFICATE_KIND,
      version: 1,
      id: randomUUID(),
      issuedAt: now.toISOString(),
      issuer: {
        origin: deps.store.config.origin,
        responsibleParty: deps.store.config.responsibleParty.name,
      },
      basis: { kind: 'plan', id: plan.id, sha256: hash },
      subjectCommitment: subjectCommitment(req.code_hash),
      erased,
      restricted: splitCats(item.restrict_cats).map((category: DataCategory) => ({
        category,
        until: until?.toISOString() ?? '',
      })),
      kept: splitCats(item.keep_cats),
      methods: METHODS,
      verification: { keysAbsent: residue.keysPresent === 0, rowsRemaining: residue.rowsRemaining },
    };
    await db.transaction().execute(async (trx) => {
      await recordCertificate(trx, deps.log, privateKey, cert, {
        planId: plan.id,
        actor: deps.actor,
        at: now,
      });
      await repo.issueCertRequest(trx, req.code_hash, cert.id, now.getTime());
    });
  }
}

/**
 * The certificate of a rights deletion (PIPL art. 47 on request): issued once the vault erased
 * the subject; returned to the requester with the code that opens the commitment.
 */
export async function issueRequestCertificate(
  deps: CertDeps,
  input: { requestId: string; subjectId: string; erased: readonly DataCategory[]; whole: boolean },
): Promise<{ certificate: SubjectCertificate; code: string }> {
  const db = deps.store.db.kysely;
  const now = deps.store.clock.now();
  const code = newRetrievalCode(deps.store.random);
  const residue = await deps.target.residue([
    { subjectId: input.subjectId, erased: input.erased, whole: input.whole },
  ]);
  const { privateKey } = await certificateKey(db, deps.wrapper, now.getTime());
  const cert: SubjectCertificate = {
    kind: SUBJECT_CERTIFICATE_KIND,
    version: 1,
    id: randomUUID(),
    issuedAt: now.toISOString(),
    issuer: {
      origin: deps.store.config.origin,
      responsibleParty: deps.store.config.responsibleParty.name,
    },
    basis: { kind: 'request', id: input.requestId },
    subjectCommitment: subjectCommitment(codeHash(code)),
    erased: [...input.erased],
    restricted: [],
    kept: [],
    methods: METHODS,
    verification: { keysAbsent: residue.keysPresent === 0, rowsRemaining: residue.rowsRemaining },
  };
  const signed = await db.transaction().execute(async (trx) => {
    const s = await recordCertificate(trx, deps.log, privateKey, cert, {
      planId: null,
      actor: deps.actor,
      at: now,
    });
    await repo.insertCertRequest(trx, {
      code_hash: codeHash(code),
      plan_id: null,
      subject_id: null,
      certificate_id: cert.id,
      created_at: now.getTime(),
      issued_at: now.getTime(),
    });
    return s;
  });
  return { certificate: signed, code };
}

/** Opens a certificate's commitment with a code: true when the certificate is this code's. */
export function certificateMatchesCode(cert: SubjectCertificate, code: string): boolean {
  return cert.subjectCommitment === subjectCommitment(codeHash(code));
}
