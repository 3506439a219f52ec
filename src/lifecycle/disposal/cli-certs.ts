// SPDX-License-Identifier: Apache-2.0
/** @module Certificate commands: request before a run, fetch by code, the plan's bundle. */
import type { DisposalContext } from './context.js';
import { certificateBundle, type CertificateBundle } from './cert-check.js';
import { PLAN_CERTIFICATE_KIND, type AnyCertificate } from './certificate.js';
import { PlanNotRunError, RetrievalCodeUnknownError } from './errors.js';
import { readPlanFile } from './plan-file.js';
import * as repo from './repository.js';
import { requestSubjectCertificate, retrieveSubjectCertificate } from './subject-certs.js';

/** Registers a citizen's certificate request for a plan; answers the retrieval code. */
export async function requestForPlan(
  ctx: DisposalContext,
  file: string,
  kind: 'citizen' | 'subscriber',
  value: string,
): Promise<string> {
  const plan = readPlanFile(file);
  if (ctx.target.findSubject === undefined) {
    throw new TypeError('the disposal target cannot look subjects up');
  }
  const subjectId = await ctx.target.findSubject(kind, value);
  // An unknown person gets a code too, so the answer does not reveal who is in the vault.
  return requestSubjectCertificate(
    ctx.store,
    plan.id,
    subjectId ?? `unknown:${ctx.store.random.bytes(12).toString('hex')}`,
  );
}

async function bundleOf(ctx: DisposalContext, cert: AnyCertificate): Promise<CertificateBundle> {
  const proof = await ctx.log.proof?.(cert.id);
  if (proof === undefined || proof === null) {
    throw new RetrievalCodeUnknownError('the certificate is not in the audit log yet');
  }
  await ctx.log.checkpoint();
  return certificateBundle(cert, proof);
}

export async function subjectBundle(
  ctx: DisposalContext,
  code: string,
): Promise<CertificateBundle> {
  return bundleOf(ctx, await retrieveSubjectCertificate(ctx.store, code));
}

export async function planBundle(ctx: DisposalContext, file: string): Promise<CertificateBundle> {
  const plan = readPlanFile(file);
  const row = (await repo.certificatesOf(ctx.store.db.kysely, plan.id)).find(
    (c) => c.kind === PLAN_CERTIFICATE_KIND,
  );
  if (row === undefined) {
    throw new PlanNotRunError('the plan has no certificate yet (it has not finished running)');
  }
  return bundleOf(ctx, JSON.parse(row.body) as AnyCertificate);
}
