// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRiskAreaList, riskAreaReader, riskAreasFile, writeRiskAreas } from './risk-areas.js';

const HIGH = { region: '440300', level: 'high', from: '2026-11-20T00:00:00.000Z', to: null };

describe('the risk-area list file', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'hc-risk-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('validates every designation by the domain rules', () => {
    expect(parseRiskAreaList([HIGH])).toEqual([HIGH]);
    expect(parseRiskAreaList([])).toEqual([]);
    expect(() => parseRiskAreaList([{ ...HIGH, region: '999999' }])).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_RISK_AREA' }),
    );
    expect(() => parseRiskAreaList([{ ...HIGH, to: '2026-11-01T00:00:00Z' }])).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_RISK_AREA' }),
    );
  });

  it('writes atomically (no temporary file left) and the reader sees each new version', () => {
    const root = fresh();
    const read = riskAreaReader(root);
    expect(read()).toEqual([]);
    writeRiskAreas(root, parseRiskAreaList([HIGH]));
    expect(readdirSync(root)).toEqual(['risk-areas.json']);
    expect(read()).toEqual([HIGH]);
    const medium = { ...HIGH, region: '320205', level: 'medium' };
    writeRiskAreas(root, parseRiskAreaList([HIGH, medium]));
    expect(read()).toEqual([HIGH, medium]);
    // A list edited by hand (as `seed` writes it) is picked up too.
    writeFileSync(riskAreasFile(root), '[]\n');
    expect(read()).toEqual([]);
  });
});
