// SPDX-License-Identifier: Apache-2.0
/**
 * @module The built-in purpose catalogue, as data: the five purpose ids the vault names, each
 * with its PIPL art. 13 basis, categories, retention and consent rules (DOMAIN.md §6 req. 9).
 * Epidemic control runs on art. 13(4) (public-health emergency) with notice but without
 * consent; every other purpose is a new purpose and rests on consent, art. 13(1). Retention
 * periods are our design choices (DOMAIN.md §6 legend "D"), each justified below.
 */
import type { DataCategory } from '../../../kernel/domain/index.js';
import type { LegalBasis, Localized } from '../model.js';

/** A catalogue entry before it is stored (dates as RFC 3339 text). */
export interface PurposeSeed {
  readonly id: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly legalBasis: LegalBasis;
  readonly validFrom: string;
  readonly categories: readonly DataCategory[];
  readonly retention: string;
  readonly recipients: readonly string[];
  /** The built-in privacy-impact assessment (art. 56) for sensitive processing; operators review it. */
  readonly pia?: {
    readonly lawfulness: string;
    readonly necessity: string;
    readonly impact: string;
    readonly safeguards: string;
  };
}

/** 2020-01-20: COVID-19 classed a Class B infectious disease managed as Class A (NHC notice 2020 No. 1). */
const EPIDEMIC_START = '2020-01-20T00:00:00+08:00';

const SAFEGUARDS =
  'AES-256-GCM per subject and data group with keys apart from data; every read names a purpose ' +
  'and passes the consent guard; every read and refusal is logged in a Merkle audit log; ' +
  'deletion by crypto-erasure that reaches backups.';

export const BUILTIN_PURPOSES: readonly PurposeSeed[] = [
  {
    id: 'epidemic-control',
    name: { zh: '疫情防控', en: 'Epidemic control' },
    description: {
      zh: '突发公共卫生事件应对：健康码赋码、核酸与抗原结果、行程核查、流行病学调查。',
      en: 'Response to a public-health emergency: health-code colours, test results, itinerary checks, epidemiological investigation.',
    },
    legalBasis: '13(4)',
    validFrom: EPIDEMIC_START,
    categories: [
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
    ],
    // 14-day incubation window (the trip card's window) plus a 16-day margin for investigations.
    retention: 'P30D',
    recipients: [],
    pia: {
      lawfulness:
        'PIPL art. 13(4): necessary to respond to a public-health emergency; notice under arts. 17 and 35.',
      necessity:
        'Colour assignment needs identity, test results, declarations and the 14-day itinerary; nothing else is collected.',
      impact:
        'Health and whereabouts are sensitive (art. 28); a wrong colour restricts movement, so every decision is explainable and correctable (art. 24).',
      safeguards: SAFEGUARDS,
    },
  },
  {
    id: 'public-transit',
    name: { zh: '公共交通', en: 'Public transit' },
    description: {
      zh: '以服务码乘坐地铁、公交、轮渡（随申码式复用），须单独同意。',
      en: 'Riding metro, buses and ferries with the service code (the 随申码 reuse); needs separate consent.',
    },
    legalBasis: '13(1)',
    validFrom: EPIDEMIC_START,
    categories: ['identity', 'contact'],
    // Fare disputes and refunds are settled within six months.
    retention: 'P180D',
    recipients: [],
    pia: {
      lawfulness:
        'PIPL art. 13(1): separate consent (arts. 14, 29); refusal never blocks the health code (art. 16).',
      necessity:
        'A real-name transit code needs identity and a phone for account recovery; no health data.',
      impact:
        'Identity numbers are sensitive (GB/T 35273 Annex B); linkage with epidemic data is excluded by purpose.',
      safeguards: SAFEGUARDS,
    },
  },
  {
    id: 'hospital',
    name: { zh: '就医', en: 'Hospital visits' },
    description: {
      zh: '以服务码挂号就诊，向医院提供身份、病史与检测、接种记录，须单独同意。',
      en: 'Registering at hospitals with the service code, sharing identity, history, tests and vaccinations; needs separate consent.',
    },
    legalBasis: '13(1)',
    validFrom: EPIDEMIC_START,
    categories: ['identity', 'contact', 'medical-history', 'test-results', 'vaccination'],
    // One year: a course of outpatient care and its follow-up.
    retention: 'P1Y',
    recipients: [],
    pia: {
      lawfulness:
        'PIPL art. 13(1): separate consent for medical data (art. 29); guardian consent for under-14s (art. 31).',
      necessity:
        'Registration needs identity and the medical facts a triage desk asks for; no itinerary.',
      impact:
        'Medical health data is sensitive (art. 28); disclosure could harm dignity and employment.',
      safeguards: SAFEGUARDS,
    },
  },
  {
    id: 'government-services',
    name: { zh: '政务服务', en: 'Government services' },
    description: {
      zh: '以服务码办理政务事项（京通式合并），须单独同意。',
      en: 'Government services with the service code (the 京通 merger); needs separate consent.',
    },
    legalBasis: '13(1)',
    validFrom: EPIDEMIC_START,
    categories: ['identity', 'contact', 'address'],
    // One year: the processing time limits of most administrative procedures plus appeals.
    retention: 'P1Y',
    recipients: [],
    pia: {
      lawfulness:
        'PIPL art. 13(1): separate consent; art. 34 limits state organs to their statutory authority.',
      necessity:
        'Administrative matters need identity, phone and household address; no health data.',
      impact:
        'Identity numbers are sensitive; merger into another app must not carry health data along.',
      safeguards: SAFEGUARDS,
    },
  },
  {
    id: 'statistics',
    name: { zh: '统计分析', en: 'Statistics' },
    description: {
      zh: '人流、出行 OD、职住分布等统计，仅以差分隐私聚合结果发布，须单独同意。',
      en: 'Crowd, origin-destination and job-residence statistics, released only as differentially private aggregates; needs separate consent.',
    },
    legalBasis: '13(1)',
    validFrom: EPIDEMIC_START,
    categories: ['address', 'location-events', 'itinerary'],
    // 90 days: one quarter of inputs for seasonal comparisons; outputs are anonymous aggregates.
    retention: 'P90D',
    recipients: [],
    pia: {
      lawfulness:
        'PIPL art. 13(1): separate consent for whereabouts (art. 29); outputs anonymous (art. 73(4)).',
      necessity:
        'Crowd and OD counts need home area and location events; identity is never an input.',
      impact:
        'Whereabouts are sensitive; re-identification risk is controlled by DP noise and k ≥ 5 suppression.',
      safeguards: SAFEGUARDS + ' Inputs are secret-shared between non-colluding parties.',
    },
  },
];
