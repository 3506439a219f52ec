// SPDX-License-Identifier: Apache-2.0
/**
 * @module Renders the user agreement and privacy policy (PIPL art. 17: controller and contact,
 * purposes, methods, categories, retention, how to exercise rights; art. 16: optional purposes
 * never block the core service; arts. 29 and 31: separate and guardian consent) from the
 * catalogue, in Chinese and English. Pure: the same catalogue and controller give the same
 * bytes, hence the same SHA-256 content hash — the notice's identity.
 */
import { createHash } from 'node:crypto';
import { categoryInfo } from '../../kernel/domain/index.js';
import type { Purpose, Service } from './model.js';
import { isConsentBasis } from './model.js';

export const NOTICE_KINDS = ['privacy-policy', 'user-agreement'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_LANGUAGES = ['zh', 'en'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

export interface NoticeInput {
  readonly controller: { readonly name: string; readonly contact: string };
  readonly purposes: readonly Purpose[];
  readonly services: readonly Service[];
}

/** SHA-256 of the UTF-8 body, lower-case hex. */
export function noticeHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

const BASIS_TEXT: Record<string, { zh: string; en: string }> = {
  '13(1)': { zh: '个人同意（第十三条第一款第一项）', en: 'your consent (art. 13(1))' },
  '13(2)': {
    zh: '订立、履行合同所必需（第十三条第一款第二项）',
    en: 'necessary for a contract (art. 13(2))',
  },
  '13(3)': {
    zh: '履行法定职责或义务所必需（第十三条第一款第三项）',
    en: 'statutory duties (art. 13(3))',
  },
  '13(4)': {
    zh: '应对突发公共卫生事件所必需（第十三条第一款第四项），无需同意',
    en: 'response to a public-health emergency (art. 13(4)); no consent needed',
  },
  '13(5)': { zh: '新闻报道、舆论监督（第十三条第一款第五项）', en: 'news reporting (art. 13(5))' },
  '13(6)': {
    zh: '处理已公开的个人信息（第十三条第一款第六项）',
    en: 'already-public information (art. 13(6))',
  },
  '13(7)': {
    zh: '法律、行政法规规定的其他情形（第十三条第一款第七项）',
    en: 'other laws (art. 13(7))',
  },
};

function categoryLine(c: Purpose['categories'][number], lang: NoticeLanguage): string {
  const info = categoryInfo(c);
  const mark = info.sensitive ? (lang === 'zh' ? '（敏感）' : ' (sensitive)') : '';
  return `${c}${mark}`;
}

function purposeBlock(p: Purpose, lang: NoticeLanguage): string[] {
  const zh = lang === 'zh';
  const basis = BASIS_TEXT[p.legalBasis]?.[lang] ?? p.legalBasis;
  const lines = [
    `### ${p.name[lang]} (${p.id})`,
    p.description[lang],
    `- ${zh ? '法律依据' : 'Legal basis'}: PIPL ${basis}`,
    `- ${zh ? '个人信息种类' : 'Categories'}: ${p.categories.map((c) => categoryLine(c, lang)).join(', ')}`,
    `- ${zh ? '保存期限' : 'Retention'}: ${p.retention} (ISO 8601)`,
  ];
  if (isConsentBasis(p.legalBasis)) {
    lines.push(
      zh
        ? '- 可选：拒绝或撤回同意不影响健康码等基本服务（第十六条）；撤回与同意同样便捷，撤回后立即停止处理并删除仅为此目的保存的信息（第十五条、第四十七条）。'
        : '- Optional: refusing or withdrawing never blocks the health code or other core services (art. 16); withdrawing is as easy as consenting, takes effect at once, and starts deletion of what only this purpose needed (arts. 15, 47).',
    );
  }
  if (p.separateConsent) {
    lines.push(
      zh
        ? '- 涉及敏感个人信息，须取得单独同意（第二十九条）。'
        : '- Involves sensitive personal information: needs a separate consent (art. 29).',
    );
  }
  if (p.guardianRule === 'guardian-under-14') {
    lines.push(
      zh
        ? '- 不满十四周岁的未成年人，须由其监护人同意（第三十一条）。'
        : '- For children under 14, a parent or guardian consents (art. 31).',
    );
  }
  if (p.recipients.length > 0) {
    lines.push(`- ${zh ? '向其他处理者提供' : 'Provided to'}: ${p.recipients.join(', ')}`);
  }
  return lines;
}

function rightsBlock(lang: NoticeLanguage, controller: NoticeInput['controller']): string[] {
  return lang === 'zh'
    ? [
        '## 您的权利',
        '您可以查阅、复制、转移、更正、删除您的个人信息，撤回同意，并要求解释自动化决策（健康码颜色）（第四十四至四十七条、第二十四条）。',
        '通过市民门户“我的申请”或命令 `healthcode request open --type <类型> --phone-stdin` 提出；经一次性验证码核验身份后，我们在 15 个工作日内办结，至迟 30 日内答复。',
        `拒绝申请时我们说明理由；您可向 ${controller.name}（${controller.contact}）投诉，向网信部门举报，或依法向人民法院起诉（第五十条）。`,
      ]
    : [
        '## Your rights',
        'You may access, copy, port, correct and delete your personal information, withdraw consent, and ask for an explanation of automated decisions such as your code colour (PIPL arts. 44–47, 24).',
        'Use "My requests" in the citizen portal or `healthcode request open --type <type> --phone-stdin`; after a one-time code confirms who you are, we complete within 15 working days and answer within 30 days at the latest.',
        `A refusal states its reasons; you may complain to ${controller.name} (${controller.contact}), report to the cyberspace administration, or sue in a people's court (art. 50).`,
      ];
}

/** The privacy policy text. */
export function renderPrivacyPolicy(input: NoticeInput, lang: NoticeLanguage): string {
  const zh = lang === 'zh';
  const lines = [
    zh ? '# 隐私政策' : '# Privacy policy',
    '',
    `${zh ? '个人信息处理者' : 'Controller'}: ${input.controller.name}`,
    `${zh ? '联系方式' : 'Contact'}: ${input.controller.contact}`,
    '',
    zh
      ? '个人信息以 AES-256-GCM 按人按数据组加密保存；每次读取须说明目的并经同意核验，全部记录于防篡改审计日志。'
      : 'Personal information is stored encrypted (AES-256-GCM) per person and data group; every read names a purpose, passes the consent check and is recorded in a tamper-evident audit log.',
    '',
    zh ? '## 处理目的' : '## Purposes',
  ];
  for (const p of input.purposes) {
    lines.push('', ...purposeBlock(p, lang));
  }
  lines.push('', ...rightsBlock(lang, input.controller), '');
  return lines.join('\n');
}

/** The user agreement text; it names the privacy policy it incorporates by hash. */
export function renderUserAgreement(
  input: NoticeInput,
  lang: NoticeLanguage,
  privacyPolicyHash: string,
): string {
  const zh = lang === 'zh';
  const lines = [
    zh ? '# 用户协议' : '# User agreement',
    '',
    `${zh ? '服务提供者' : 'Provider'}: ${input.controller.name} (${input.controller.contact})`,
    `${zh ? '隐私政策' : 'Privacy policy'}: sha256:${privacyPolicyHash}`,
    '',
    zh ? '## 服务' : '## Services',
  ];
  for (const s of input.services) {
    const kind = s.core ? (zh ? '基本服务' : 'core service') : zh ? '可选服务' : 'optional service';
    lines.push(`- ${s.name[lang]} (${s.id}, ${kind}): ${s.purposes.join(', ')}`);
  }
  lines.push(
    '',
    zh
      ? '基本服务依法定职责运行，不以同意任何可选目的为条件（第十六条）。可选服务须您单独同意，可随时撤回。'
      : 'Core services run on a statutory basis and never depend on consenting to an optional purpose (art. 16). Optional services need your separate consent, which you may withdraw at any time.',
    '',
  );
  return lines.join('\n');
}
