// SPDX-License-Identifier: Apache-2.0
/**
 * @module Operator console routes (write side of the consent catalogue): propose a repurposing
 * campaign (PIPL arts. 14, 29: fresh, separate consent for a new purpose) and read its numbers,
 * add a purpose with its PIPL art. 13 basis (sensitive categories behind the art. 55 PIA gate),
 * retire one (its basis's validity window closes), and publish the notices for the current
 * catalogue (art. 17: the notice stays true to what is processed). The consent capability does
 * the work; these routes only validate and shape JSON (errors map in error-statuses.ts).
 */
import {
  LEGAL_BASES,
  NOTICE_LANGUAGES,
  addPurpose,
  campaignReport,
  currentNotices,
  listNotices,
  loadCatalogue,
  proposeCampaign,
  publishNotices,
  retirePurpose,
  type Campaign,
  type LegalBasis,
  type Purpose,
} from '../../personal/consent/index.js';
import { DATA_CATEGORIES, type DataCategory } from '../../kernel/domain/index.js';
import { principalOf } from './auth.js';
import { HttpConflictError, HttpInvalidError } from './errors.js';
import { ID_TEXT, objectSchema, route, type RouteSpec } from './route-kit.js';

const OPERATOR = ['operator'] as const;

const CATEGORY = { enum: [...DATA_CATEGORIES] } as const;
const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const LOCALIZED = (max: number) =>
  objectSchema({
    zh: { type: 'string', minLength: 1, maxLength: max },
    en: { type: 'string', minLength: 1, maxLength: max },
  });

const CAMPAIGN_BODY = objectSchema(
  {
    purpose: ID_TEXT,
    from: { type: 'array', minItems: 1, maxItems: 20, items: ID_TEXT },
    categories: { type: 'array', minItems: 1, maxItems: 20, items: CATEGORY },
    // The privacy policy shown to those asked; default: the current one in `lang`.
    notice: HASH,
    lang: { enum: [...NOTICE_LANGUAGES] },
  },
  ['purpose', 'from', 'categories'],
);

/** The same document `healthcode purpose add --file` takes (consent/definitions.ts). */
const PURPOSE_BODY = objectSchema(
  {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,47}$' },
    name: LOCALIZED(200),
    description: LOCALIZED(2000),
    legalBasis: { enum: [...LEGAL_BASES] },
    categories: { type: 'array', minItems: 1, maxItems: 20, items: CATEGORY },
    retention: { type: 'string', minLength: 1, maxLength: 20 },
    recipients: {
      type: 'array',
      maxItems: 20,
      items: { type: 'string', minLength: 1, maxLength: 200 },
    },
    validFrom: { type: 'string', format: 'date-time', maxLength: 40 },
  },
  ['id', 'name', 'description', 'legalBasis', 'categories', 'retention'],
);

interface CampaignBody {
  purpose: string;
  from: string[];
  categories: string[];
  notice?: string;
  lang?: 'zh' | 'en';
}

interface PurposeBody {
  id: string;
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  legalBasis: LegalBasis;
  categories: DataCategory[];
  retention: string;
  recipients?: string[];
  validFrom?: string;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

const campaignJson = (c: Campaign) => ({
  ...c,
  createdAt: c.createdAt.toISOString(),
  closedAt: iso(c.closedAt),
});

const purposeJson = (p: Purpose) => ({
  ...p,
  validFrom: p.validFrom.toISOString(),
  validTo: iso(p.validTo),
});

/** Repurposing campaigns: propose one, read its numbers. */
function campaignRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/operator/campaigns',
      access: OPERATOR,
      summary:
        'propose a repurposing campaign: data held under `from` asked for a consent-based purpose (sensitive categories need a PIA: 409)',
      tags: ['consent'],
      schema: { body: CAMPAIGN_BODY },
      example: {
        body: { purpose: 'public-transit', from: ['epidemic-control'], categories: ['contact'] },
      },
      async handler(req, reply, ctx) {
        const body = req.body as CampaignBody;
        const { deps } = await ctx.consent();
        let noticeHash = body.notice;
        if (noticeHash === undefined) {
          const lang = body.lang ?? 'zh';
          const policy = (await currentNotices(deps)).find(
            (n) => n.kind === 'privacy-policy' && n.language === lang,
          );
          if (policy === undefined) {
            throw new HttpInvalidError('no current privacy policy in that language');
          }
          noticeHash = policy.hash;
        }
        const c = await proposeCampaign(deps, {
          purposeId: body.purpose,
          fromPurposes: body.from,
          categories: body.categories,
          noticeHash,
          actor: `operator:${principalOf(req).accountName}`,
        });
        void reply.code(201);
        return campaignJson(c);
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/campaigns/:id',
      access: OPERATOR,
      summary:
        'one campaign and its numbers: invited, accepted, declined, pending, readable now, withdrawn since',
      tags: ['consent'],
      schema: { params: objectSchema({ id: ID_TEXT }) },
      example: { url: '/api/operator/campaigns/cmp_none' },
      async handler(req, _reply, ctx) {
        const { id } = req.params as { id: string };
        const r = await campaignReport(ctx.consentDeps(), id);
        return { ...r, campaign: campaignJson(r.campaign) };
      },
    }),
  ];
}

/** Purposes: add one, retire one. */
function purposeRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/operator/purposes',
      access: OPERATOR,
      summary:
        'add a purpose with its PIPL art. 13 basis (sensitive categories need a stored PIA: 409; an existing id: 409)',
      tags: ['consent'],
      schema: { body: PURPOSE_BODY },
      example: {
        body: {
          id: 'example-purpose',
          name: { zh: '示例', en: 'Example' },
          description: { zh: '示例用途', en: 'An example purpose' },
          legalBasis: '13(1)',
          categories: ['contact'],
          retention: 'P30D',
        },
      },
      async handler(req, reply, ctx) {
        const { validFrom, recipients, ...rest } = req.body as PurposeBody;
        const { deps } = await ctx.consent();
        if ((await loadCatalogue(deps)).purposes.has(rest.id)) {
          throw new HttpConflictError('a purpose with that id already exists');
        }
        const p = await addPurpose(
          deps,
          {
            ...rest,
            ...(recipients === undefined ? {} : { recipients }),
            ...(validFrom === undefined ? {} : { validFrom: new Date(validFrom) }),
          },
          `operator:${principalOf(req).accountName}`,
        );
        void reply.code(201);
        return purposeJson(p);
      },
    }),
    route({
      method: 'POST',
      url: '/api/operator/purposes/:id/retire',
      access: OPERATOR,
      summary:
        "retire a purpose: its legal basis's validity window closes now (disposal then deletes its data)",
      tags: ['consent'],
      schema: { params: objectSchema({ id: ID_TEXT }) },
      example: { url: '/api/operator/purposes/no-such-purpose/retire' },
      async handler(req, _reply, ctx) {
        const { id } = req.params as { id: string };
        const { deps } = await ctx.consent();
        // Already retired: the consent capability's ERR_CONSENT_PURPOSE_INACTIVE, a 409.
        return purposeJson(
          await retirePurpose(deps, id, `operator:${principalOf(req).accountName}`),
        );
      },
    }),
  ];
}

/** Publishing the notices for the current catalogue. */
function noticeRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/operator/notices',
      access: OPERATOR,
      summary:
        'publish the notices for the current catalogue (a new version where the text changed; 201 when one was published, 200 when all were current)',
      tags: ['consent'],
      schema: { body: objectSchema({}, []) },
      example: { body: {} },
      async handler(_req, reply, ctx) {
        const { deps } = await ctx.consent();
        const before = new Set((await listNotices(deps.db)).map((n) => n.hash));
        const notices = await publishNotices(deps);
        const out = notices.map((n) => ({
          kind: n.kind,
          language: n.language,
          version: n.version,
          hash: n.hash,
          publishedAt: n.publishedAt.toISOString(),
          published: !before.has(n.hash),
        }));
        void reply.code(out.some((n) => n.published) ? 201 : 200);
        return out;
      },
    }),
  ];
}

export function operatorWriteRoutes(): RouteSpec[] {
  return [...campaignRoutes(), ...purposeRoutes(), ...noticeRoutes()];
}
