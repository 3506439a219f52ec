// SPDX-License-Identifier: Apache-2.0
/**
 * @module The fixed list of personal-data categories, each tagged with exactly one of the four
 * GB/T 38962-2020 §4 data groups and a sensitivity flag under PIPL art. 28 (DOMAIN.md §1.3,
 * §6 req. 5). Every stored field, consent, purpose, key and disposal step names these.
 *
 * Sensitivity (PIPL art. 28 lists "medical health", "whereabouts" (行踪轨迹), "specific
 * identity" and all personal information of minors under 14):
 * - identity — sensitive. GB/T 35273-2020 Annex B (Table B.2) lists identity-document numbers
 *   (身份证件号码) among sensitive personal information: leaked, they enable impersonation and
 *   link every other record of the person. We follow the annex.
 * - contact (phone) and address (household-registration address) — not sensitive on their own
 *   (Annex B Table B.1 lists them as ordinary personal information); sensitive for under-14s.
 * - medical-history — sensitive (medical health), although GB/T 38962 files it under basic info.
 * - temperature, symptoms — sensitive (medical health).
 * - test-results, vaccination — sensitive (medical health).
 * - location-events, itinerary — sensitive (whereabouts).
 * - colour-decisions — sensitive: a red or yellow code reveals infection or exposure status,
 *   which is health information.
 */

/** The four data groups of GB/T 38962-2020 §4 (basic, health, itinerary, certification). */
export const DATA_GROUPS = ['basic', 'health', 'itinerary', 'certification'] as const;
export type DataGroup = (typeof DATA_GROUPS)[number];

/** The fixed category list; later issues refer to these names. */
export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'address',
  'medical-history',
  'temperature',
  'symptoms',
  'test-results',
  'vaccination',
  'location-events',
  'itinerary',
  'colour-decisions',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export interface CategoryInfo {
  /** The one GB/T 38962 group the category belongs to. */
  readonly group: DataGroup;
  /** Sensitive for an adult (PIPL art. 28); every category is sensitive for an under-14. */
  readonly sensitive: boolean;
  readonly description: string;
}

const INFO: Readonly<Record<DataCategory, CategoryInfo>> = Object.freeze({
  identity: {
    group: 'basic',
    sensitive: true,
    description: 'name, sex, nationality, document type and number (个人基本信息)',
  },
  contact: { group: 'basic', sensitive: false, description: 'phone number (联系电话)' },
  address: {
    group: 'basic',
    sensitive: false,
    description: 'household-registration division and detailed address (户籍区划, 详细地址)',
  },
  'medical-history': {
    group: 'basic',
    sensitive: true,
    description: 'underlying medical history (基础病史), listed in basic info by GB/T 38962 §4 a)',
  },
  temperature: { group: 'health', sensitive: true, description: 'body temperature (体温)' },
  symptoms: { group: 'health', sensitive: true, description: 'current symptoms (当前症状)' },
  'test-results': {
    group: 'certification',
    sensitive: true,
    description: 'nucleic-acid and antigen test results (核酸/抗原检测结果)',
  },
  vaccination: {
    group: 'certification',
    sensitive: true,
    description: 'vaccination records (疫苗接种记录)',
  },
  'location-events': {
    group: 'itinerary',
    sensitive: true,
    description: 'timestamped location events from carriers (行踪轨迹)',
  },
  itinerary: {
    group: 'itinerary',
    sensitive: true,
    description: 'declared trips and the cities visited (行程信息)',
  },
  'colour-decisions': {
    group: 'certification',
    sensitive: true,
    description: 'health-code colour decisions with their rule set and inputs (健康证明信息)',
  },
});

/** True when the value is one of the fixed categories. */
export function isDataCategory(value: unknown): value is DataCategory {
  return typeof value === 'string' && Object.hasOwn(INFO, value);
}

/** True when the value is one of the four groups. */
export function isDataGroup(value: unknown): value is DataGroup {
  return typeof value === 'string' && (DATA_GROUPS as readonly string[]).includes(value);
}

/** The group, adult sensitivity and description of a category. */
export function categoryInfo(category: DataCategory): CategoryInfo {
  const info = isDataCategory(category) ? INFO[category] : undefined;
  if (info === undefined) {
    throw new RangeError(`"category" expected one of ${DATA_CATEGORIES.join(', ')}`);
  }
  return info;
}

/**
 * Whether a category is sensitive for this person: everything about an under-14 is
 * (PIPL art. 28 and 31), otherwise the category's own flag.
 */
export function isSensitive(category: DataCategory, subject: { under14: boolean }): boolean {
  return subject.under14 || categoryInfo(category).sensitive;
}

/** The categories of one group, in list order. */
export function categoriesOfGroup(group: DataGroup): DataCategory[] {
  if (!isDataGroup(group)) {
    throw new RangeError(`"group" expected one of ${DATA_GROUPS.join(', ')}`);
  }
  return DATA_CATEGORIES.filter((c) => INFO[c].group === group);
}
