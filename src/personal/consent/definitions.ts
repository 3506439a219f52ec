// SPDX-License-Identifier: Apache-2.0
/**
 * @module The documents operators hand to `purpose add`, `service add` and `purpose pia add`,
 * validated once with zod (STYLE.md §19) and turned into the catalogue's inputs. A document that
 * breaks a rule gives `ERR_CONSENT_CATALOGUE_INVALID` / `ERR_CONSENT_PIA_INVALID` naming the field.
 */
import { z } from 'zod';
import type { DataCategory } from '../../kernel/domain/index.js';
import type { PurposeInput, ServiceInput } from './catalogue-service.js';
import { CatalogueInvalidError, PiaInvalidError } from './errors.js';
import { LEGAL_BASES } from './model.js';

const localized = z
  .object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) })
  .strict();
const longLocalized = z
  .object({ zh: z.string().min(1).max(2000), en: z.string().min(1).max(2000) })
  .strict();
const instant = z.iso.datetime({ offset: true });

const purposeSchema = z
  .object({
    id: z.string().min(2).max(48),
    name: localized,
    description: longLocalized,
    legalBasis: z.enum(LEGAL_BASES),
    categories: z.array(z.string()).min(1).max(20),
    retention: z.string().max(20),
    recipients: z.array(z.string().min(1).max(200)).max(20).optional(),
    validFrom: instant.optional(),
  })
  .strict();

const serviceSchema = z
  .object({
    id: z.string().min(2).max(48),
    name: localized,
    purposes: z.array(z.string()).min(1).max(20),
    categories: z.array(z.string()).min(1).max(20),
    core: z.boolean().optional(),
    validFrom: instant.optional(),
  })
  .strict();

const piaSchema = z
  .object({
    lawfulness: z.string().min(3).max(4000),
    necessity: z.string().min(3).max(4000),
    impact: z.string().min(3).max(4000),
    safeguards: z.string().min(3).max(4000),
    assessor: z.string().min(3).max(200),
  })
  .strict();

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`;
}

export function parsePurposeDocument(raw: unknown): PurposeInput {
  const r = purposeSchema.safeParse(raw);
  if (!r.success) {
    throw new CatalogueInvalidError(`purpose document: ${firstIssue(r.error)}`);
  }
  const { validFrom, recipients, categories, ...rest } = r.data;
  return {
    ...rest,
    categories: categories as DataCategory[],
    ...(recipients === undefined ? {} : { recipients }),
    ...(validFrom === undefined ? {} : { validFrom: new Date(validFrom) }),
  };
}

export function parseServiceDocument(raw: unknown): ServiceInput {
  const r = serviceSchema.safeParse(raw);
  if (!r.success) {
    throw new CatalogueInvalidError(`service document: ${firstIssue(r.error)}`);
  }
  const { validFrom, categories, core, ...rest } = r.data;
  return {
    ...rest,
    categories: categories as DataCategory[],
    ...(core === undefined ? {} : { core }),
    ...(validFrom === undefined ? {} : { validFrom: new Date(validFrom) }),
  };
}

export function parsePiaDocument(raw: unknown): z.infer<typeof piaSchema> {
  const r = piaSchema.safeParse(raw);
  if (!r.success) {
    throw new PiaInvalidError(`PIA document: ${firstIssue(r.error)}`);
  }
  return r.data;
}
