// SPDX-License-Identifier: Apache-2.0
/**
 * @module The built-in service catalogue, as data: what a citizen uses, each mapped to the
 * purposes it runs on and the categories it touches. The five services Guangdong retired first
 * (antigen self-test, elderly/child help, health declaration, e-certificates, epidemic
 * workbench; DOMAIN.md §2) are separate entries so that disposal can retire them one by one.
 */
import type { DataCategory } from '../../../kernel/domain/index.js';
import type { Localized } from '../model.js';

export interface ServiceSeed {
  readonly id: string;
  readonly name: Localized;
  readonly purposes: readonly string[];
  readonly categories: readonly DataCategory[];
  readonly core: boolean;
  readonly validFrom: string;
}

const EPIDEMIC_START = '2020-01-20T00:00:00+08:00';

export const BUILTIN_SERVICES: readonly ServiceSeed[] = [
  {
    id: 'health-code',
    name: { zh: '健康码', en: 'Health code' },
    purposes: ['epidemic-control'],
    categories: [
      'identity',
      'contact',
      'address',
      'temperature',
      'symptoms',
      'test-results',
      'vaccination',
      'itinerary',
      'colour-decisions',
    ],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'antigen-self-test',
    name: { zh: '抗原自测上报', en: 'Antigen self-test reporting' },
    purposes: ['epidemic-control'],
    categories: ['identity', 'contact', 'test-results'],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'elderly-child-help',
    name: { zh: '老幼助查', en: 'Look-up for the elderly and children' },
    purposes: ['epidemic-control'],
    categories: ['identity', 'contact', 'test-results', 'colour-decisions'],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'health-declaration',
    name: { zh: '健康申报', en: 'Health declaration' },
    purposes: ['epidemic-control'],
    categories: [
      'identity',
      'contact',
      'address',
      'medical-history',
      'temperature',
      'symptoms',
      'itinerary',
    ],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'e-certificates',
    name: { zh: '电子证明', en: 'Electronic certificates' },
    purposes: ['epidemic-control'],
    categories: ['identity', 'test-results', 'vaccination'],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'epidemic-workbench',
    name: { zh: '防疫工作台', en: 'Epidemic-control workbench' },
    purposes: ['epidemic-control'],
    categories: [
      'identity',
      'contact',
      'address',
      'test-results',
      'colour-decisions',
      'location-events',
    ],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'trip-card',
    name: { zh: '通信行程卡', en: 'Trip card' },
    purposes: ['epidemic-control'],
    categories: ['contact', 'location-events', 'itinerary'],
    core: true,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'transit-code',
    name: { zh: '乘车码', en: 'Transit code' },
    purposes: ['public-transit'],
    categories: ['identity', 'contact'],
    core: false,
    validFrom: EPIDEMIC_START,
  },
  {
    id: 'hospital-code',
    name: { zh: '就医码', en: 'Hospital code' },
    purposes: ['hospital'],
    categories: ['identity', 'contact', 'medical-history', 'test-results', 'vaccination'],
    core: false,
    validFrom: EPIDEMIC_START,
  },
];
