// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's ports over the real capabilities: the consent catalogue and ledger
 * (src/personal/consent), the Merkle audit log (src/foundation/audit) and the residual scanner (src/foundation/scan). The vault
 * adapter lives in vault-target.ts.
 */
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import {
  createAuditLog,
  signCheckpointIfGrown,
  type AuditLog,
} from '../../foundation/audit/index.js';
import {
  loadCatalogue,
  retirePurpose,
  retireService,
  type ConsentDeps,
} from '../../personal/consent/index.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import { CanaryScanner, scanPaths } from '../../foundation/scan/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import type { AuditPort } from '../../platform/runtime/audit-port.js';
import type { CertificateLeaf, CertificateLog, ConsentView, Scanner, ScanHit } from './ports.js';
import * as repo from './repository.js';
import type { CatalogueView } from './scope.js';

function consentDeps(store: Store, audit: AuditPort): ConsentDeps {
  return {
    db: store.db.kysely,
    clock: store.clock,
    random: store.random,
    audit,
    controller: store.config.responsibleParty,
    recordsYears: store.config.retention.recordsYears,
  };
}

const ALREADY = new Set(['ERR_CONSENT_PURPOSE_INACTIVE']);

/** The consent capability as disposal sees it. */
export function consentView(store: Store, audit: AuditPort): ConsentView {
  const deps = consentDeps(store, audit);
  return {
    async catalogue(): Promise<CatalogueView> {
      const c = await loadCatalogue(deps);
      return { purposes: [...c.purposes.values()], services: [...c.services.values()] };
    },
    async consented(subjectIds, at) {
      const out = new Map<string, Map<string, DataCategory[]>>();
      if (subjectIds.length === 0) {
        return out;
      }
      // One query per page of subjects; consent_current holds the live state (ledger-repository.ts).
      const rows = await sql<{
        subject_id: string;
        purpose_id: string;
        category: string;
        granted_at: number | string;
      }>`
        select subject_id, purpose_id, category, granted_at from consent_current
        where withdrawn_at is null and subject_id in (${sql.join(subjectIds)})`.execute(
        store.db.kysely,
      );
      for (const r of rows.rows) {
        if (Number(r.granted_at) > at.getTime()) {
          continue;
        }
        const m = out.get(r.subject_id) ?? new Map<string, DataCategory[]>();
        m.set(r.purpose_id, [...(m.get(r.purpose_id) ?? []), r.category as DataCategory]);
        out.set(r.subject_id, m);
      }
      return out;
    },
    async retire(purposes, services, at, actor) {
      const tolerate = (err: unknown) => {
        if (!ALREADY.has((err as { code?: string }).code ?? '')) {
          throw err;
        }
      };
      for (const s of services) {
        await retireService(deps, s, actor).catch(tolerate);
      }
      for (const p of purposes) {
        await retirePurpose(deps, p, actor, at).catch(tolerate);
      }
    },
  };
}

/** The audit log as disposal sees it: certificate leaves and their inclusion proofs. */
export function certificateLog(
  store: Store,
  wrapper: KeyWrapper,
): CertificateLog & { readonly audit: AuditLog; checkpoint(): Promise<void> } {
  const audit = createAuditLog(store, { keyWrapper: wrapper });
  return {
    audit,
    async append(db, leaf: CertificateLeaf) {
      await audit.append(db, [
        {
          kind: 'certificate',
          actor: leaf.actor,
          action: 'disposal.certificate',
          outcome: 'ok',
          at: leaf.at,
          details: {
            certificateId: leaf.certificateId,
            certificateKind: leaf.certificateKind,
            sha256: leaf.sha256,
            planId: leaf.planId,
          },
        },
      ]);
      // Appends are serialised on the log head, so within this transaction the last leaf is ours.
      const res = await sql<{
        n: number | string | null;
      }>`select max(leaf_index) as n from audit_leaves`.execute(db);
      const n = res.rows[0]?.n;
      if (n !== null && n !== undefined) {
        await repo.setCertificateLeaf(db, leaf.certificateId, Number(n));
      }
    },
    async proof(certificateId) {
      const row = await repo.getCertificate(store.db.kysely, certificateId);
      if (row === undefined || row.leaf_index === null) {
        return undefined;
      }
      await audit.init(); // idempotent: the checkpoint key and size-0 checkpoint on first use
      return audit.prove(row.leaf_index);
    },
    async checkpoint() {
      await signCheckpointIfGrown(store, { keyWrapper: wrapper });
    },
  };
}

function countHits(hits: readonly { file: string; encoding: string }[]): ScanHit[] {
  const m = new Map<string, ScanHit>();
  for (const h of hits) {
    const key = `${h.file}\u0000${h.encoding}`;
    const prev = m.get(key);
    m.set(key, { file: h.file, encoding: h.encoding, count: (prev?.count ?? 0) + 1 });
  }
  return [...m.values()];
}

/** The residual scanner (src/foundation/scan) as disposal sees it. */
export function canaryScanner(): Scanner {
  return {
    async scanFiles(paths, canaries) {
      // A WAL or temp file listed a moment ago may be gone by now: nothing left to scan there.
      const present = paths.filter((p) => existsSync(p));
      if (present.length === 0) {
        return { files: 0, hits: [] };
      }
      const res = await scanPaths(present, new CanaryScanner(canaries));
      return { files: res.files, hits: countHits(res.hits) };
    },
    async scanBuffers(buffers, canaries) {
      const scanner = new CanaryScanner(canaries);
      const hits: { file: string; encoding: string }[] = [];
      for await (const b of buffers) {
        hits.push(...scanner.scanBuffer(b.bytes, b.label));
      }
      return { hits: countHits(hits) };
    },
  };
}
