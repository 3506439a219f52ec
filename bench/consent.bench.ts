// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of the purpose guard (issue 6), on SQLite, in one run: a consent guard
 * decision — the consent row and catalogue version looked up in the database with one keyed
 * SELECT, the catalogue from a version-checked cache, the pure decision — against the vault read
 * it protects (`VaultRepository.get`: subject and record SELECTs, AES-256-GCM decrypts of the
 * meta and a ~200-byte record). Target: the decision ≤ 25 % of the read.
 *
 * Both sides run with a no-op AuditPort (the decision's own cost) and with the real Merkle
 * audit log. As wired (`instanceVault` → `vaultGuard`), the guard delegates logging to the vault:
 * ONE leaf per read, the vault's, carrying `decision.reason` — so the wired figure is the
 * decision without a leaf against the read with its leaf. The older two-leaf arrangement (the
 * guard appending its own leaf too) is still measured, for information, and the whole guarded
 * read (consent guard, one leaf) against the same read under the interim policy.
 */
import { join } from 'node:path';
import type { BenchContext, BenchResult } from './harness.js';
import { atMost, measure, round } from './harness.js';
import { type Store } from '../src/platform/runtime/index.js';
import { openInstance } from '../src/edges/app/index.js';
import { createAuditLog } from '../src/foundation/audit/index.js';
import {
  ConsentGuard,
  currentNotices,
  grantConsent,
  type LedgerDeps,
} from '../src/personal/consent/index.js';
import {
  openVault,
  interimGuard,
  type Guard,
  type VaultRepository,
} from '../src/personal/vault/index.js';
import type { AuditPort } from '../src/platform/runtime/audit-port.js';
import { computeIdCheckChar } from '../src/kernel/domain/index.js';

const noAudit: AuditPort = { append: () => Promise.resolve() };

/** Synthetic but valid GB 11643 numbers: Beijing Dongcheng, born 1980–1989. */
function idNumber(i: number): string {
  const body = `110101198${i % 10}0101${String(i % 1000).padStart(3, '0')}`;
  return body + computeIdCheckChar(body);
}

interface Fixture {
  store: Store;
  subjects: Array<{ subjectId: string; recordId: string; auditId: string }>;
  deps: LedgerDeps;
}

async function setUp(ctx: BenchContext, n: number): Promise<Fixture> {
  const store = await openInstance({ dataDir: join(ctx.tmpDir, 'data'), create: true });
  const keys = store.keyring.keyWrapper();
  const log = createAuditLog(store, { keyWrapper: keys });
  await log.init();
  await log.preparePeriodKeys();
  const deps: LedgerDeps = {
    db: store.db.kysely,
    clock: store.clock,
    random: store.random,
    audit: noAudit,
    keys,
    controller: store.config.responsibleParty,
    recordsYears: 3,
  };
  const vault = openVault(store, { audit: noAudit });
  const repo = vault.repository({
    actor: 'bench:seed',
    role: 'operator',
    purpose: 'epidemic-control',
  });
  const policy = (await currentNotices(deps)).find(
    (x) => x.kind === 'privacy-policy' && x.language === 'zh',
  )!.hash;
  const subjects: Fixture['subjects'] = [];
  for (let i = 0; i < n; i++) {
    const { subjectId } = await repo.ensureCitizen(idNumber(i));
    // ~200 bytes of JSON, the size of a contact record with its metadata.
    const recordId = await repo.put(subjectId, 'contact', {
      phone: `+86198${String(i).padStart(8, '0')}`,
      note: 'x'.repeat(160),
    });
    subjects.push({ subjectId, recordId, auditId: `a${String(i).padStart(22, '0')}` });
    if (i % 2 === 0) {
      await grantConsent(deps, {
        subjectId,
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'bench',
      });
    }
  }
  ctx.log(`seeded ${n} subjects (half consenting to public-transit/contact)`);
  return { store, subjects, deps };
}

function reader(store: Store, guard: Guard, audit: AuditPort): VaultRepository {
  return openVault(store, { audit, guard }).repository({
    actor: 'bench:gate',
    role: 'operator',
    purpose: 'epidemic-control',
  });
}

async function perOp(fn: () => Promise<unknown>): Promise<number> {
  const m = await measure(
    async () => {
      await fn();
    },
    { minMs: 2000 },
  );
  return 1e6 / m.opsPerSec;
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const n = Math.max(200, Math.min(2000, Math.round(ctx.scale / 50)));
  const { store, subjects, deps } = await setUp(ctx, n);
  const merkle = createAuditLog(store, { keyWrapper: store.keyring.keyWrapper() });
  const cycle = () => {
    let i = 0;
    return () => subjects[i++ % subjects.length];
  };
  const decideWith = (guard: ConsentGuard) => {
    const next = cycle();
    return () => {
      const s = next();
      return guard.decide({
        subjectId: s.subjectId,
        purpose: 'public-transit',
        category: 'contact',
        subjectAuditId: s.auditId,
      });
    };
  };
  const readWith = (repo: VaultRepository) => {
    const next = cycle();
    return () => {
      const s = next();
      return repo.get(s.subjectId, s.recordId);
    };
  };
  try {
    const decision = await perOp(decideWith(new ConsentGuard({ ...deps, audit: noAudit })));
    const readBare = await perOp(readWith(reader(store, interimGuard, noAudit)));
    const decisionLeaf = await perOp(decideWith(new ConsentGuard({ ...deps, audit: merkle })));
    const readLeaf = await perOp(readWith(reader(store, interimGuard, merkle)));
    const guardedRead = await perOp(
      readWith(
        reader(store, new ConsentGuard({ ...deps, audit: merkle }, { log: 'caller' }), merkle),
      ),
    );
    ctx.log(
      `decision ${round(decision, 1)} µs (with its leaf ${round(decisionLeaf, 1)}); ` +
        `read ${round(readBare, 1)} µs (with its leaf ${round(readLeaf, 1)}); guarded read ${round(guardedRead, 1)} µs`,
    );
    return {
      name: 'consent',
      metrics: {
        subjects: n,
        engine: 'sqlite',
        guardDecisionUs: round(decision, 1),
        guardDecisionWithLeafUs: round(decisionLeaf, 1),
        vaultReadUs: round(readBare, 1),
        vaultReadWithLeafUs: round(readLeaf, 1),
        guardedVaultReadUs: round(guardedRead, 1),
        twoLeafDecisionOverReadInfo: round(decisionLeaf / readLeaf, 3),
        // Information only: both sides end in an fsync'd audit commit, whose noise dominates.
        guardedReadOverInterimRead: round(guardedRead / readLeaf, 3),
      },
      ratios: [
        atMost('guard decision / vault read (no audit on either)', decision / readBare, 0.25),
        atMost(
          'guard decision as wired (vault logs, one leaf) / vault read with its leaf',
          decision / readLeaf,
          0.25,
        ),
      ],
    };
  } finally {
    await store.close();
  }
}
