// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { buildHttpApp } from './app.js';
import { createTestInstance } from '../../../test/support/dialects.js';

describe('http app', () => {
  it('serves the status page, health and readiness probes, with security headers', async () => {
    const t = await createTestInstance('sqlite', { initialConfig: { synthetic: true } });
    const app = buildHttpApp({ store: t.store });
    try {
      const home = await app.inject('/');
      expect(home.statusCode).toBe(200);
      expect(home.headers['content-type']).toContain('text/html');
      expect(home.body).toContain('synthetic demo only');
      expect(home.headers['x-content-type-options']).toBe('nosniff');
      expect((await app.inject('/healthz')).body).toBe('ok');
      expect((await app.inject('/readyz')).body).toBe('ready');
      const missing = await app.inject('/nope');
      expect(missing.statusCode).toBe(404);
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});
