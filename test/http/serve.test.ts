// SPDX-License-Identifier: Apache-2.0
/**
 * `healthcode serve --demo --tls-cert --tls-key` (compiled CLI): listens over HTTPS with a
 * self-signed certificate made by openssl in the test, prints the https URL and a token for each
 * staff role, and those tokens authenticate with their role. Also: the flags go together.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTls } from '../../src/edges/http/serve.js';
import { CLI } from '../support/cli.js';

function get(url: string, ca: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('serve over HTTPS with --demo', () => {
  it('prints the URL and role tokens, and serves TLS with the given certificate', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hc-tls-'));
    const cert = join(root, 'cert.pem');
    const key = join(root, 'key.pem');
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ]);
    const child = spawn(
      process.execPath,
      [CLI, '--data', join(root, 'data'), 'serve', '--demo', '--tls-cert', cert, '--tls-key', key],
      {
        env: { ...process.env, PORT: '0', HEALTHCODE_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no tokens printed: ${text}`)), 120_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          text += d;
          if (/verifier\s+hct_/.test(text)) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${String(code)}`)));
      });
      const url = /https:\/\/localhost:(\d+)\//.exec(out)?.[0];
      expect(url).toBeDefined();
      expect(out).toContain('synthetic demo only');
      const ca = await import('node:fs').then((fs) => fs.readFileSync(cert, 'utf8'));
      expect((await get(new URL('/healthz', url).href, ca)).body).toBe('ok');
      for (const role of ['operator', 'analyst', 'auditor', 'verifier']) {
        const token = new RegExp(`${role}\\s+(hct_\\S+)`).exec(out)?.[1];
        expect(token, role).toBeDefined();
        const me = await get(new URL('/api/me', url).href, ca, token);
        expect(me.status).toBe(200);
        expect(JSON.parse(me.body)).toMatchObject({ role, name: `demo-${role}` });
      }
      const demo = await get(new URL('/api/demo/otps', url).href, ca);
      expect(JSON.parse(demo.body).label).toBe('synthetic demo only');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      rmSync(root, { recursive: true, force: true });
    }
  }, 150_000);

  it('refuses half a TLS pair and files that are not PEM', () => {
    const root = mkdtempSync(join(tmpdir(), 'hc-tls-'));
    try {
      const f = join(root, 'x.pem');
      writeFileSync(f, 'not pem');
      expect(() => loadTls(f, undefined)).toThrow(/go together/);
      expect(() => loadTls(f, f)).toThrow(/PEM/);
      expect(() => loadTls(join(root, 'missing'), f)).toThrow(/cannot read/);
      expect(loadTls(undefined, undefined)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
