// SPDX-License-Identifier: Apache-2.0
/**
 * @module The deletion executor for data-subject requests (PIPL art. 47 on request; DOMAIN.md
 * req. 17–18): crypto-erases the subject through the vault, issues a per-subject certificate
 * anchored in the audit log, and returns it in the response — written with its inclusion proof
 * and the code that opens its commitment to where the requester asked (`--out`), never into the
 * data dir. The request's stored result holds only the certificate id.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import type { RightsExecutor, RightsRequest } from '../rights/index.js';
import { certificateBundle } from './cert-check.js';
import type { DisposalContext } from './context.js';
import { issueRequestCertificate } from './subject-certs.js';

/** A {@link RightsExecutor} for `deletion` requests. */
export function deletionExecutor(ctx: DisposalContext): RightsExecutor {
  return {
    async execute(
      _db: Kysely<Database>,
      request: RightsRequest & { subjectId: string },
      options: { readonly outPath?: string },
    ) {
      await ctx.target.dispose([
        {
          subjectId: request.subjectId,
          decision: { erase: [...DATA_CATEGORIES], restrict: [], keep: [], wholeSubject: true },
        },
      ]);
      await ctx.target.scrub();
      const { certificate, code } = await issueRequestCertificate(ctx, {
        requestId: request.id,
        subjectId: request.subjectId,
        erased: [...DATA_CATEGORIES],
        whole: true,
      });
      await ctx.log.checkpoint();
      const summary = {
        certificateId: certificate.id,
        keysAbsent: certificate.verification.keysAbsent,
        rowsRemaining: certificate.verification.rowsRemaining,
      };
      if (options.outPath === undefined) {
        return { summary };
      }
      const proof = (await ctx.log.proof?.(certificate.id)) ?? {};
      const text =
        JSON.stringify({ ...certificateBundle(certificate, proof), retrievalCode: code }, null, 2) +
        '\n';
      writeFileSync(options.outPath, text, { mode: 0o600 });
      return {
        summary,
        artefact: {
          path: options.outPath,
          sha256: createHash('sha256').update(text).digest('hex'),
          bytes: Buffer.byteLength(text),
        },
      };
    },
  };
}
