// SPDX-License-Identifier: Apache-2.0
/**
 * @module Public routes: offline verification of a health-code token (DOMAIN.md §6 req. 7 — the
 * answer discloses only what the QR shows), the signed trust list and revocations a verifier
 * caches, checking a deletion certificate against the audit log (req. 17–18), and the current
 * user agreement and privacy policy (PIPL art. 17).
 */
import { checkInclusionBundle, isVerificationFailure } from '../../foundation/audit/index.js';
import { verifyToken } from '../../services/codes/index.js';
import { currentNotices } from '../../personal/consent/index.js';
import { certificateHash, verifyCertificateSignature } from '../../lifecycle/disposal/index.js';
import type { PlanCertificate, SubjectCertificate } from '../../lifecycle/disposal/index.js';
import { isAppError } from '../../kernel/shared/index.js';
import { objectSchema, querySchema, route, type RouteSpec } from './route-kit.js';

/** The verify body limit: a token is at most 2 KiB of text. */
const VERIFY_BODY_LIMIT = 4 * 1024;

export const VERIFY_RESPONSE = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    reason: { type: 'string' },
    colour: { type: 'string' },
    validFrom: { type: 'string' },
    validUntil: { type: 'string' },
    maskedName: { type: 'string' },
  },
  required: ['valid', 'reason'],
} as const;

export function publicRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/verify',
      access: 'public',
      summary: 'verify a health-code token offline against the trust list (rate-limited)',
      tags: ['codes'],
      bodyLimit: VERIFY_BODY_LIMIT,
      ratePerMinute: 120,
      schema: {
        body: objectSchema({ token: { type: 'string', minLength: 1, maxLength: 2048 } }),
        response: { 200: VERIFY_RESPONSE },
      },
      example: { body: { token: 'HCN1:NOTATOKEN' } },
      async handler(req, _reply, ctx) {
        const { token } = req.body as { token: string };
        const { trustList, revocations } = await ctx.trust();
        const v = verifyToken(token, { trustList, revocations, at: ctx.store.clock.now() });
        return {
          valid: v.ok,
          reason: v.reason,
          ...(v.colour === undefined ? {} : { colour: v.colour }),
          ...(v.validFrom === undefined ? {} : { validFrom: v.validFrom }),
          ...(v.validUntil === undefined ? {} : { validUntil: v.validUntil }),
          ...(v.maskedName === undefined ? {} : { maskedName: v.maskedName }),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/trust-list',
      access: 'public',
      summary: 'the signed trust list (as `code trust-list` writes it) for offline verifiers',
      tags: ['codes'],
      example: {},
      async handler(_req, reply, ctx) {
        const { text } = await ctx.trust();
        reply.type('application/json; charset=utf-8').header('cache-control', 'max-age=60');
        return text;
      },
    }),
    route({
      method: 'GET',
      url: '/api/revocations',
      access: 'public',
      summary: 'the revocation list: salted token hashes and revoked key ids',
      tags: ['codes'],
      example: {},
      async handler(_req, _reply, ctx) {
        const { revocations } = await ctx.trust();
        return {
          salt: Buffer.from(revocations.salt).toString('base64'),
          tokens: [...revocations.tokens].sort(),
          keys: [...revocations.keys].sort(),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/certificates/verify',
      access: 'public',
      summary:
        'check a deletion-certificate bundle: its signature, the logged leaf, and the inclusion proof against this log',
      tags: ['disposal'],
      bodyLimit: 256 * 1024,
      ratePerMinute: 60,
      schema: {
        body: objectSchema({
          bundle: {
            type: 'object',
            required: ['format', 'certificate'],
            properties: { format: { type: 'string' }, certificate: { type: 'object' } },
          },
        }),
      },
      example: { body: { bundle: { format: 'healthcode/audit-inclusion/v1', certificate: {} } } },
      async handler(req, _reply, ctx) {
        const { bundle } = req.body as { bundle: Record<string, unknown> };
        const cert = bundle.certificate as PlanCertificate | SubjectCertificate;
        const refuse = (reason: string) => ({ valid: false, reason });
        // The verifier answers false for any malformed signature; it throws for nothing else.
        if (!verifyCertificateSignature(cert)) {
          return refuse('certificate-signature');
        }
        const log = await ctx.audit();
        try {
          const verdict = checkInclusionBundle(JSON.stringify(bundle), await log.verifierKey());
          const leaf = verdict.leaf;
          const details =
            leaf !== undefined && !leaf.sealed && leaf.kind === 'certificate'
              ? leaf.body.details
              : undefined;
          if (details?.certificateId !== cert.id || details.sha256 !== certificateHash(cert)) {
            return refuse('leaf-mismatch');
          }
          return {
            valid: true,
            reason: 'ok',
            certificateId: cert.id,
            kind: cert.kind,
            leafIndex: verdict.leafIndex,
            treeSize: verdict.treeSize,
          };
        } catch (err) {
          if (isAppError(err) && (isVerificationFailure(err) || /^ERR_AUDIT_/.test(err.code))) {
            return refuse(err.code);
          }
          throw err;
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/notices/current',
      access: 'public',
      summary: 'the current user agreement and privacy policy with their content hashes',
      tags: ['consent'],
      schema: { querystring: querySchema({ lang: { enum: ['zh', 'en'] } }, []) },
      example: { url: '/api/notices/current?lang=zh' },
      async handler(req, _reply, ctx) {
        const { lang } = req.query as { lang?: string };
        const notices = await currentNotices(ctx.consentDeps());
        return notices
          .filter((n) => lang === undefined || n.language.startsWith(lang))
          .map((n) => ({
            kind: n.kind,
            language: n.language,
            version: n.version,
            hash: n.hash,
            publishedAt: n.publishedAt.toISOString(),
            body: n.body,
          }));
      },
    }),
  ];
}
