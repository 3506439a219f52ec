// SPDX-License-Identifier: Apache-2.0
/**
 * @module Maps catalogue rows to purposes and services and back: JSON columns for localized
 * text and category lists, 0/1 for booleans, epoch milliseconds for the validity window.
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import { bit, jsonArray, toBool } from './internal.js';
import type { GuardianRule, LegalBasis, Localized, Purpose, Service } from './model.js';
import type * as repo from './repository.js';

export function rowToPurpose(r: repo.ConsentPurposesTable): Purpose {
  return {
    id: r.id,
    name: JSON.parse(r.name) as Localized,
    description: JSON.parse(r.description) as Localized,
    legalBasis: r.legal_basis as LegalBasis,
    validFrom: new Date(r.valid_from),
    validTo: r.valid_to === null ? null : new Date(r.valid_to),
    categories: jsonArray(r.categories) as DataCategory[],
    retention: r.retention,
    separateConsent: toBool(r.separate_consent),
    guardianRule: r.guardian_rule as GuardianRule,
    recipients: jsonArray(r.recipients),
    builtin: toBool(r.builtin),
  };
}

export function purposeToRow(p: Purpose, createdAt: number): repo.ConsentPurposesTable {
  return {
    id: p.id,
    legal_basis: p.legalBasis,
    valid_from: p.validFrom.getTime(),
    valid_to: p.validTo === null ? null : p.validTo.getTime(),
    categories: JSON.stringify(p.categories),
    retention: p.retention,
    separate_consent: bit(p.separateConsent),
    guardian_rule: p.guardianRule,
    recipients: JSON.stringify(p.recipients),
    name: JSON.stringify(p.name),
    description: JSON.stringify(p.description),
    builtin: bit(p.builtin),
    created_at: createdAt,
  };
}

export function rowToService(r: repo.ConsentServicesTable): Service {
  return {
    id: r.id,
    name: JSON.parse(r.name) as Localized,
    purposes: jsonArray(r.purposes),
    categories: jsonArray(r.categories) as DataCategory[],
    core: toBool(r.core),
    validFrom: new Date(r.valid_from),
    validTo: r.valid_to === null ? null : new Date(r.valid_to),
    builtin: toBool(r.builtin),
  };
}

export function serviceToRow(s: Service, createdAt: number): repo.ConsentServicesTable {
  return {
    id: s.id,
    name: JSON.stringify(s.name),
    purposes: JSON.stringify(s.purposes),
    categories: JSON.stringify(s.categories),
    core: bit(s.core),
    valid_from: s.validFrom.getTime(),
    valid_to: s.validTo === null ? null : s.validTo.getTime(),
    builtin: bit(s.builtin),
    created_at: createdAt,
  };
}
