// SPDX-License-Identifier: Apache-2.0
/**
 * @module Mainland China's public holidays and adjusted working days (调休上班), 2025–2027, as
 * data: the default calendar for request deadlines (15 working days; DOMAIN.md §6 req. 19).
 * 2025 and 2026 are the State Council General Office's notices; 2027 had not been announced
 * when this table was written, so it is a projection by the rules of the 2024 revision of
 * 《全国年节及纪念日放假办法》 (as restated in the 2025 notice) and is marked provisional —
 * replace it with `DIR/holidays.json` once the notice is out (docs/consent.md).
 */

/** One year's arrangement: inclusive holiday spans and the weekend days that are working days. */
export interface HolidayYear {
  readonly year: number;
  readonly source: string;
  readonly provisional: boolean;
  readonly holidays: ReadonlyArray<readonly [from: string, to: string]>;
  readonly workdays: readonly string[];
}

export const CN_HOLIDAYS: readonly HolidayYear[] = [
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）',
    provisional: false,
    holidays: [
      ['2025-01-01', '2025-01-01'], // 元旦
      ['2025-01-28', '2025-02-04'], // 春节
      ['2025-04-04', '2025-04-06'], // 清明节
      ['2025-05-01', '2025-05-05'], // 劳动节
      ['2025-05-31', '2025-06-02'], // 端午节
      ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）',
    provisional: false,
    holidays: [
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明节
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午节
      ['2026-09-25', '2026-09-27'], // 中秋节
      ['2026-10-01', '2026-10-07'], // 国庆节
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
  {
    year: 2027,
    source:
      'projection (not yet announced): 除夕 2027-02-05, 清明 04-05, 端午 06-09 (Wed: that day only), ' +
      '中秋 09-15 (Wed: that day only), by the rules restated in 国办发明电〔2024〕12号',
    provisional: true,
    holidays: [
      ['2027-01-01', '2027-01-03'], // 元旦 (Fri, joined to the weekend)
      ['2027-02-05', '2027-02-12'], // 春节: 8 days from 除夕
      ['2027-04-03', '2027-04-05'], // 清明节
      ['2027-05-01', '2027-05-05'], // 劳动节: 5 days
      ['2027-06-09', '2027-06-09'], // 端午节 on a Wednesday
      ['2027-09-15', '2027-09-15'], // 中秋节 on a Wednesday
      ['2027-10-01', '2027-10-07'], // 国庆节: 7 days
    ],
    workdays: ['2027-01-31', '2027-02-20', '2027-05-08', '2027-09-26', '2027-10-09'],
  },
];
