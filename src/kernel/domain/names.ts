// SPDX-License-Identifier: Apache-2.0
/**
 * @module Display masking of personal names (姓名 of GB/T 38962-2020 basic info): the surname
 * stays, every other character becomes `*` (DOMAIN.md §1.5: Beijing 健康宝 showed only the
 * surname; §6 req. 7 verification minimisation, PIPL art. 6).
 */
import { NameError } from './errors.js';

/**
 * Two-character (compound) surnames in use today; the first character alone would half-reveal
 * them, the whole given name would be shown for none of them.
 */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '西门',
  '南宫',
  '独孤',
  '百里',
  '呼延',
  '万俟',
  '闻人',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '申屠',
  '仲孙',
  '赫连',
  '钟离',
  '拓跋',
  '左丘',
]);

/**
 * Masks a name: the surname (one character, or a known two-character compound surname) and
 * `*` for every further character; white space is dropped so word lengths are not shown.
 *
 * @example
 * maskName('张三丰'); // '张**'
 * maskName('欧阳娜娜'); // '欧阳**'
 */
export function maskName(name: string): string {
  if (typeof name !== 'string') {
    throw new TypeError('"name" expected a string');
  }
  const chars = [...name.normalize('NFC').replace(/\s+/g, '')];
  if (chars.length === 0) {
    throw new NameError('a name has at least one character');
  }
  if (chars.length === 1) {
    return '*';
  }
  const keep = chars.length > 2 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}
