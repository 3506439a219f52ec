// SPDX-License-Identifier: Apache-2.0
/** @module The status page at `/`: what this instance is, in Chinese and English. No personal data. */
import type { Config } from '../../platform/runtime/index.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderStatusPage(config: Config, now: Date): string {
  const banner = config.synthetic
    ? '<p class="banner" role="alert">合成演示数据 — synthetic demo only: every person here is invented.</p>'
    : '';
  const when = new Intl.DateTimeFormat('zh-CN', {
    timeZone: config.timeZone,
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(now);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>healthcode — ${escapeHtml(config.origin)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:44rem;padding:0 1rem;color:#1b1b1b}
.banner{background:#fff3cd;border:1px solid #b58900;padding:.5rem 1rem;border-radius:.4rem}
dt{font-weight:600}dd{margin:0 0 .6rem 0}
</style>
</head>
<body>
<h1>健康码服务 · healthcode</h1>
${banner}
<dl>
<dt>实例 Instance</dt><dd>${escapeHtml(config.origin)}</dd>
<dt>责任方 Responsible party</dt><dd>${escapeHtml(config.responsibleParty.name)} (${escapeHtml(config.responsibleParty.contact)})</dd>
<dt>时区 Time zone</dt><dd>${escapeHtml(config.timeZone)} — ${escapeHtml(when)}</dd>
<dt>状态 Status</dt><dd>运行中 running · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></dd>
<dt>入口 Open</dt><dd><a href="/ui/">网页 Web app</a> · <a href="/docs">API 文档 API docs</a> · <a href="/checkpoint">审计检查点 Audit checkpoint</a></dd>
</dl>
</body>
</html>
`;
}
