// SPDX-License-Identifier: Apache-2.0
/**
 * @module Citizen health routes: the dependants a guardian holds codes for (PIPL art. 31; the
 * consent ledger names the guardian of each under-14's consent, the vault's guardian link
 * confirms it), and the health declaration — temperature, symptoms and itinerary (GB/T
 * 38962-2020 §4 b) — stored in the vault categories the colour rules read, through the consent
 * guard (every write audit-logged by the vault), then re-evaluated like a correction is.
 */
import type { FastifyRequest } from 'fastify';
import {
  CODES_PURPOSE,
  reevaluateSubject,
  type Actor,
  type OnBehalf,
  type SubjectCodes,
  codesErrors,
} from '../../services/codes/index.js';
import { isKnownRegionCode, maskName } from '../../kernel/domain/index.js';
import { dayNumberOf, localDate, startOfLocalDay } from '../../kernel/shared/local-day.js';
import { subjectOf } from './auth.js';
import { HttpInvalidError } from './errors.js';
import { guardianCandidates } from './repository.js';
import { objectSchema, querySchema, route, type RouteSpec } from './route-kit.js';

const CITIZEN = ['citizen'] as const;

/** The symptom codes a declaration may name (`none`: the explicit "no symptoms" answer). */
export const DECLARED_SYMPTOMS = [
  'fever',
  'cough',
  'sore-throat',
  'fatigue',
  'loss-of-taste',
  'none',
] as const;
export const TEMPERATURE_MIN_C = 34;
export const TEMPERATURE_MAX_C = 43;
/** Stays one declaration may list. */
export const MAX_STAYS = 30;

const SUBJECT = { type: 'string', pattern: '^[A-Za-z0-9:._-]{8,128}$' } as const;
const DAY = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;

const FIRED = {
  type: 'array',
  items: objectSchema({
    rule: { type: 'string' },
    colour: { type: 'string' },
    reason: { type: 'string' },
  }),
} as const;

export interface DeclarationBody {
  readonly temperatureC?: number;
  readonly symptoms?: readonly string[];
  readonly itinerary?: ReadonlyArray<{ region: string; from: string; to: string }>;
  readonly for?: string;
}

/** `YYYY-MM-DD` naming a real calendar day (2026-02-30 is not one). */
export function isCalendarDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/**
 * Checks what the schema cannot: real days, `from ≤ to ≤ today` (an itinerary is where one has
 * been), and regions listed in GB/T 2260. Throws a 400 naming the stay, never its content.
 */
export function checkItinerary(stays: DeclarationBody['itinerary'], today: string): void {
  (stays ?? []).forEach((s, i) => {
    if (!isKnownRegionCode(s.region)) {
      throw new HttpInvalidError(`itinerary[${i}].region is not a GB/T 2260 code`);
    }
    if (!isCalendarDay(s.from) || !isCalendarDay(s.to)) {
      throw new HttpInvalidError(`itinerary[${i}] dates must be real calendar days`);
    }
    if (s.from > s.to) {
      throw new HttpInvalidError(`itinerary[${i}].from is after its "to"`);
    }
    if (s.to > today) {
      throw new HttpInvalidError(`itinerary[${i}].to is in the future`);
    }
  });
}

/** Who the declaration is for: the citizen, or (body `for` or `?for=`) a dependant. */
function declarant(req: FastifyRequest): { subject: string; who: Actor & OnBehalf } {
  const self = subjectOf(req);
  const inBody = (req.body as DeclarationBody).for;
  const inQuery = (req.query as { for?: string }).for;
  if (inBody !== undefined && inQuery !== undefined && inBody !== inQuery) {
    throw new HttpInvalidError('"for" in the body and ?for= name different subjects');
  }
  const dependant = inBody ?? inQuery;
  return dependant === undefined || dependant === self
    ? { subject: self, who: { actor: 'citizen', role: 'citizen' } }
    : { subject: dependant, who: { actor: 'guardian', role: 'guardian', guardian: self } };
}

/** Refuses (403) unless the vault records `guardian` as the guardian of `subject`. */
async function requireGuardian(
  sc: SubjectCodes,
  subject: string,
  who: Actor & OnBehalf,
): Promise<void> {
  if (who.guardian === undefined) {
    return;
  }
  const recorded = await sc.ports(who).guardianOf(subject);
  if (recorded === undefined || recorded !== who.guardian) {
    throw new codesErrors.GuardianLinkError('the vault records no such guardian for this subject');
  }
}

/** The dependants a guardian may act for. */
function dependantRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/citizen/dependants',
      access: CITIZEN,
      summary:
        'the subjects this citizen is the recorded guardian of (their codes: GET /api/citizen/code?for=)',
      tags: ['citizen', 'codes'],
      schema: {
        response: {
          200: objectSchema({
            dependants: {
              type: 'array',
              items: objectSchema({ subject: { type: 'string' }, maskedName: { type: 'string' } }),
            },
          }),
        },
      },
      example: {},
      async handler(req, _reply, ctx) {
        const self = subjectOf(req);
        const candidates = await guardianCandidates(ctx.store.db.kysely, self);
        if (candidates.length === 0) {
          return { dependants: [] };
        }
        const sc = await ctx.subjectCodes();
        const who = { actor: 'guardian', role: 'guardian' };
        const ports = sc.ports(who);
        const repo = sc.vault.vault.repository({ ...who, purpose: CODES_PURPOSE });
        const dependants: Array<{ subject: string; maskedName: string }> = [];
        for (const subject of candidates) {
          // A consent act is only a hint; the vault's link is what the code route checks too.
          if ((await ports.guardianOf(subject)) !== self) {
            continue;
          }
          const [identity] = await repo.list(subject, { categories: ['identity'] });
          const name = (identity?.value as { name?: unknown } | undefined)?.name;
          dependants.push({
            subject,
            maskedName: maskName(typeof name === 'string' && name.trim() !== '' ? name : '*'),
          });
        }
        return { dependants };
      },
    }),
  ];
}

/** Health declarations, for oneself or a dependant. */
function declarationRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/citizen/declarations',
      access: CITIZEN,
      summary:
        'declare temperature, symptoms and/or itinerary (for a dependant: "for"); re-evaluates the colour',
      tags: ['citizen', 'codes'],
      bodyLimit: 16 * 1024,
      schema: {
        querystring: querySchema({ for: SUBJECT }, []),
        body: {
          ...objectSchema(
            {
              temperatureC: {
                type: 'number',
                minimum: TEMPERATURE_MIN_C,
                maximum: TEMPERATURE_MAX_C,
              },
              symptoms: {
                type: 'array',
                minItems: 1,
                maxItems: DECLARED_SYMPTOMS.length,
                uniqueItems: true,
                items: { enum: [...DECLARED_SYMPTOMS] },
              },
              itinerary: {
                type: 'array',
                minItems: 1,
                maxItems: MAX_STAYS,
                items: objectSchema({
                  region: { type: 'string', pattern: '^[0-9]{6}$' },
                  from: DAY,
                  to: DAY,
                }),
              },
              for: SUBJECT,
            },
            [],
          ),
          anyOf: [
            { required: ['temperatureC'] },
            { required: ['symptoms'] },
            { required: ['itinerary'] },
          ],
        },
        response: {
          201: objectSchema({
            colour: { enum: ['green', 'yellow', 'red', 'gray'] },
            validUntil: { type: 'string' },
            fired: FIRED,
          }),
        },
      },
      example: { body: { temperatureC: 36.6, symptoms: ['none'] } },
      async handler(req, reply, ctx) {
        const body = req.body as DeclarationBody;
        const { subject, who } = declarant(req);
        const now = ctx.store.clock.now();
        const zone = ctx.store.config.timeZone;
        checkItinerary(body.itinerary, localDate(now, zone));
        if (
          body.symptoms !== undefined &&
          body.symptoms.includes('none') &&
          body.symptoms.length > 1
        ) {
          throw new HttpInvalidError('"none" excludes the other symptoms');
        }
        const sc = await ctx.subjectCodes();
        await requireGuardian(sc, subject, who);
        const repo = sc.vault.vault.repository({
          actor: who.actor,
          role: who.role,
          purpose: CODES_PURPOSE,
        });
        const at = now.toISOString();
        // One record per category, all at the same instant: the colour rules merge them into one
        // declaration (src/services/codes/vault-values.ts). Each put is guarded and audit-logged.
        if (body.temperatureC !== undefined) {
          await repo.put(subject, 'temperature', { celsius: body.temperatureC, at });
        }
        if (body.symptoms !== undefined) {
          await repo.put(subject, 'symptoms', { symptoms: [...body.symptoms], at });
        }
        if (body.itinerary !== undefined) {
          // Whole local days: from the start of `from` to the start of the day after `to`.
          const stays = body.itinerary.map((s) => ({
            region: s.region,
            from: new Date(startOfLocalDay(dayNumberOf(s.from), zone)).toISOString(),
            to: new Date(startOfLocalDay(dayNumberOf(s.to) + 1, zone)).toISOString(),
          }));
          await repo.put(subject, 'itinerary', { stays, declaredAt: at });
        }
        const { decision } = await reevaluateSubject(sc, subject, who);
        reply.code(201);
        return {
          colour: decision.colour,
          validUntil: decision.validUntil,
          fired: decision.fired.map((f) => ({ rule: f.rule, colour: f.colour, reason: f.reason })),
        };
      },
    }),
  ];
}

export function citizenHealthRoutes(): RouteSpec[] {
  return [...dependantRoutes(), ...declarationRoutes()];
}
