// SPDX-License-Identifier: Apache-2.0
/**
 * @module The public notice of a disposal (GB/T 35273-2020 §6.4: on ceasing a service, notify
 * the data subjects individually or publicly; PIPL art. 47), in Chinese and English: what was
 * retired, which categories were deleted or anonymised, what is kept and why until when, who is
 * responsible, how to ask for a per-subject certificate, and how to verify. Counts only.
 */
import { categoryInfo, type DataCategory } from '../../kernel/domain/index.js';
import { esc } from './charts.js';
import type { PlanDoc } from './model.js';

const ZH: Readonly<Record<DataCategory, string>> = {
  identity: '身份信息（姓名、证件号码等）',
  contact: '联系电话',
  address: '户籍区划与详细地址',
  'medical-history': '基础病史',
  temperature: '体温',
  symptoms: '症状',
  'test-results': '核酸/抗原检测结果',
  vaccination: '疫苗接种记录',
  'location-events': '位置轨迹',
  itinerary: '行程信息',
  'colour-decisions': '健康码颜色判定',
};

const ACTION_ZH = {
  delete: '删除',
  anonymise: '匿名化后删除',
  retain: '依法暂存（限制处理）',
} as const;

export interface NoticeFacts {
  readonly plan: PlanDoc;
  readonly executedAt: string | null;
  readonly subjects: number;
  readonly synthetic: boolean;
}

/** The notice as a self-contained HTML page (both languages). */
export function renderNoticeHtml(f: NoticeFacts): string {
  const p = f.plan;
  const when = f.executedAt ?? '(scheduled)';
  const rows = p.actions.map((a) => {
    const info = categoryInfo(a.category);
    const ex = a.exemption;
    return `<tr><td>${esc(ZH[a.category])}<br><small>${esc(a.category)} (${esc(info.group)})</small></td><td>${esc(ACTION_ZH[a.action])}<br><small>${esc(a.action)}</small></td><td>${
      ex ? esc(`${ex.legalSource}; 至 until ${ex.endDate}`) : '—'
    }</td></tr>`;
  });
  const kept = p.scope.filter((s) => s.keptFor.length > 0);
  const retained = p.stores.filter((s) => s.method === 'retain' && s.exemption);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>个人信息删除公告 · Notice of personal-data deletion</title>
<style>body{font:15px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:860px;margin:2em auto}table{border-collapse:collapse;width:100%}td,th{border:1px solid #aaa;padding:4px 8px;text-align:left}.en{color:#333}</style></head>
<body>
${f.synthetic ? '<p><strong>本公告来自合成数据演示实例。This notice comes from a synthetic demo instance.</strong></p>' : ''}
<h1>个人信息删除公告</h1>
<p>${esc(p.responsibleParty.name)}（个人信息处理者）依据《中华人民共和国个人信息保护法》第四十七条，因${esc(p.retire.kind === 'all' ? '健康码服务整体停止' : `“${p.retire.id}”停止服务`)}，处理目的已实现，于 ${esc(when)} 对相关个人信息进行了删除处置，涉及 ${f.subjects} 名个人。</p>
<p>处置方式：销毁每人每类数据的加密密钥（密码学擦除），删除数据库记录并清除存储页；备份中的密文因密钥销毁而不可恢复。删除证书已签名并记入可验证的审计日志。</p>
${kept.length > 0 ? `<p>仍在其他目的下保留的数据仅限已单独同意的个人：${esc(kept.map((s) => `${ZH[s.category]}（${s.keptFor.map((k) => k.purpose).join('、')}）`).join('；'))}。</p>` : ''}
${retained.length > 0 ? `<p>依法暂存（仅限存储和必要的安全保护）：${esc(retained.map((s) => `${s.store}：${s.exemption!.legalSource}，至 ${s.exemption!.endDate}`).join('；'))}。</p>` : ''}
<p>联系方式：${esc(p.responsibleParty.contact)}。如需个人删除证书，请通过上述渠道申请。</p>
<h2>Notice of personal-data deletion</h2>
<p class="en">${esc(p.responsibleParty.name)}, the personal-information processor, under article 47 of the Personal Information Protection Law, disposed of the personal data of ${f.subjects} people on ${esc(when)} because ${esc(p.retire.kind === 'all' ? 'the health-code service has stopped' : `the ${p.retire.kind} "${p.retire.id}" has stopped`)} and its purpose has been achieved.</p>
<p class="en">Method: each person's per-group encryption keys were destroyed (crypto-erasure), the database rows deleted and the freed pages scrubbed; ciphertext in backups can no longer be decrypted. A signed deletion certificate is recorded in a verifiable audit log.</p>
${kept.length > 0 ? `<p class="en">Data still kept, only for people who separately consented to another purpose: ${esc(kept.map((s) => `${s.category} (${s.keptFor.map((k) => k.purpose).join(', ')})`).join('; '))}.</p>` : ''}
${retained.length > 0 ? `<p class="en">Kept for a statutory period, restricted to storage and security: ${esc(retained.map((s) => `${s.store}: ${s.exemption!.legalSource}, until ${s.exemption!.endDate}`).join('; '))}.</p>` : ''}
<p class="en">Contact: ${esc(p.responsibleParty.contact)}; ask there for your personal deletion certificate.</p>
<table><thead><tr><th>数据类别 Category</th><th>处置 Action</th><th>依据与期限 Legal source and end</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p><small>Plan ${esc(p.id)} · GB/T 35273-2020 §6.4</small></p>
</body></html>
`;
}
