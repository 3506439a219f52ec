// SPDX-License-Identifier: Apache-2.0
/**
 * @module The executors of data-subject requests over the vault (PIPL arts. 44–48; DOMAIN.md §6
 * req. 19): access and copy (art. 45: a JSON + CSV export of the four GB/T 38962 groups, colour
 * history, consents and audit trail), portability (art. 45 para. 3: a signed package), correction
 * (art. 46: the record replaced, then the colour re-evaluated through the codes' port), and
 * explanation (art. 24 para. 3: the latest colour decision with the rules that fired). Files go
 * where the requester says and never into the data dir; stored results hold counts only.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { isDataCategory, type DataCategory } from '../../kernel/domain/index.js';
import { subjectConsents } from '../../personal/consent/index.js';
import type { AuditEntry } from '../../foundation/audit/index.js';
import type { Vault, VaultEntry } from '../../personal/vault/index.js';
import { CorrectionInvalidError, OutputInvalidError } from './errors.js';
import {
  EXPORT_FORMAT,
  exportCsv,
  exportSubject,
  exportSummary,
  type ExportDocument,
} from './export.js';
import {
  PACKAGE_FORMAT,
  signPackage,
  type PackagePayload,
  type PackageSigningKey,
} from './package.js';
import { personSubjects, readSubject } from './person.js';
import type { ExecutionResult, RightsExecutor } from './ports.js';
import type { RightsRequest } from './model.js';

/** Re-evaluates a subject's colour after a correction (the codes capability provides it). */
export interface ColourReevaluation {
  /** Re-evaluates after `request` corrected the subject's data; may queue a human review. */
  reevaluate(
    subjectId: string,
    request: { readonly id: string; readonly humanReview: boolean },
  ): Promise<{ readonly changed: boolean; readonly reviewId: string | null }>;
}

/** What the vault-backed executors need. */
export interface VaultRightsPorts {
  readonly vault: Vault;
  /** The subject's audit trail (src/foundation/audit `trail`). */
  trail(subjectAuditId: string): Promise<AuditEntry[]>;
  readonly controller: { readonly name: string; readonly contact: string };
  /** The instance's data dir: exports are never written inside it. */
  readonly dataDir: string;
  readonly now: () => Date;
  readonly random: { bytes(n: number): Buffer };
  /** The controller's signing key (the consent receipt key). */
  packageKey(): Promise<PackageSigningKey>;
  /** Undefined until the codes capability wires a re-evaluation for stored subjects. */
  readonly colour?: ColourReevaluation;
}

type Req = RightsRequest & { subjectId: string };

function actorOf(req: Req): string {
  return `request:${req.id}`;
}

/** Refuses a missing target or one inside the data dir. */
export function checkOutPath(outPath: string | undefined, dataDir: string): string {
  if (outPath === undefined || outPath === '') {
    throw new OutputInvalidError(
      'this request writes a file: give --out FILE (outside the data dir)',
    );
  }
  const out = resolve(outPath);
  const dir = resolve(dataDir);
  if (out === dir || out.startsWith(dir + sep)) {
    throw new OutputInvalidError(
      'exports are never written into the data dir; choose another --out',
    );
  }
  return out;
}

function write(path: string, text: string): NonNullable<ExecutionResult['artefact']> {
  writeFileSync(path, text, { mode: 0o600 });
  return {
    path,
    sha256: createHash('sha256').update(text).digest('hex'),
    bytes: Buffer.byteLength(text),
  };
}

/** Builds the export document of a request's person. */
export async function buildExport(
  p: VaultRightsPorts,
  db: Kysely<Database>,
  req: Req,
): Promise<ExportDocument> {
  const actor = actorOf(req);
  const subjects = [];
  for (const id of await personSubjects(p.vault, req.subjectId, actor)) {
    const h = await readSubject(p.vault, db, id, actor);
    const consents = await subjectConsents(db, id);
    const trail = h.auditId === undefined ? [] : await p.trail(h.auditId);
    subjects.push(exportSubject(h, consents, trail));
  }
  return {
    format: EXPORT_FORMAT,
    requestId: req.id,
    controller: p.controller,
    generatedAt: p.now().toISOString(),
    subjects,
  };
}

/** `access` and `copy`: the JSON export at `--out`, the CSV beside it (`<out>.csv`). */
export function exportExecutor(p: VaultRightsPorts): RightsExecutor {
  return {
    async execute(db, req, options) {
      const out = checkOutPath(options.outPath, p.dataDir);
      const doc = await buildExport(p, db, req);
      const artefact = write(out, JSON.stringify(doc, null, 2) + '\n');
      const csv = write(`${out.replace(/\.json$/i, '')}.csv`, exportCsv(doc));
      return {
        summary: { ...exportSummary(doc), csvSha256: csv.sha256, csvBytes: csv.bytes },
        artefact,
      };
    },
  };
}

/** `portability`: the person's data as a package signed by this controller. */
export function portabilityExecutor(p: VaultRightsPorts): RightsExecutor {
  return {
    async execute(db, req, options) {
      const out = checkOutPath(options.outPath, p.dataDir);
      const doc = await buildExport(p, db, req);
      const refs = new Map(doc.subjects.map((s, i) => [s.subjectId, i]));
      const linksOf = async (id: string) =>
        (await personSubjects(p.vault, id, actorOf(req)))
          .slice(1)
          .map((x) => refs.get(x))
          .filter((x): x is number => x !== undefined);
      const subjects: PackagePayload['subjects'] = [];
      for (const [i, s] of doc.subjects.entries()) {
        const groups = Object.values(s.groups);
        subjects.push({
          ref: i,
          kind: s.kind === 'citizen' ? 'citizen' : 'subscriber',
          links: s.kind === 'citizen' ? await linksOf(s.subjectId) : [],
          records: groups.flatMap((g) =>
            g.records.map((r) => ({ category: r.category as DataCategory, value: r.value })),
          ),
          bundles: groups.flatMap((g) =>
            g.bundles.map((b) => ({
              category: b.category as DataCategory,
              day: b.day,
              entries: b.entries as VaultEntry[],
            })),
          ),
        });
      }
      const payload: PackagePayload = {
        format: PACKAGE_FORMAT,
        packageId: `pk-${p.random.bytes(16).toString('hex')}`,
        issuedAt: p.now().toISOString(),
        issuer: { name: p.controller.name, contact: p.controller.contact },
        subjects,
      };
      const key = await p.packageKey();
      const artefact = write(out, signPackage(payload, key));
      return {
        summary: { ...exportSummary(doc), packageId: payload.packageId, keyId: key.kid },
        artefact,
      };
    },
  };
}

/** The corrected value of a correction request (read from a file, never from argv). */
interface CorrectionInput {
  readonly recordId?: string;
  readonly category?: string;
  readonly day?: string;
}

/**
 * `correction`: replaces a record (params `recordId`) or a bundle entry (params `category`,
 * `day`; the value is the entry with its id) with the value given, then asks the codes
 * capability to re-evaluate the colour. Restricted data is not corrected (art. 47 para. 2).
 */
export function correctionExecutor(p: VaultRightsPorts): RightsExecutor {
  return {
    async execute(_db, req, options) {
      const params = req.params as CorrectionInput;
      const value = options.input;
      if (value === undefined || value === null) {
        throw new CorrectionInvalidError('a correction needs the corrected value (--value-file)');
      }
      const repo = p.vault.repository({
        actor: actorOf(req),
        role: 'operator',
        purpose: 'epidemic-control',
      });
      const subjects = await personSubjects(p.vault, req.subjectId, actorOf(req));
      let corrected: string;
      if (params.recordId !== undefined) {
        const owner = await ownerOf(p, subjects, params.recordId, actorOf(req));
        await repo.correct(owner, params.recordId, value);
        corrected = 'record';
      } else if (
        params.category !== undefined &&
        isDataCategory(params.category) &&
        params.day !== undefined &&
        typeof (value as { id?: unknown }).id === 'string'
      ) {
        let done = false;
        for (const s of subjects) {
          try {
            await repo.correctEntry(s, params.category, params.day, value as VaultEntry);
            done = true;
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== 'ERR_VAULT_RECORD_UNKNOWN') {
              throw err;
            }
          }
        }
        if (!done) {
          throw new CorrectionInvalidError('the subject has no such entry on that day');
        }
        corrected = 'entry';
      } else {
        throw new CorrectionInvalidError(
          'name the record (--record ID) or the entry (--category, --day, and the entry with its id)',
        );
      }
      const colour =
        p.colour === undefined
          ? undefined
          : await p.colour.reevaluate(req.subjectId, {
              id: req.id,
              humanReview: req.params.humanReview === 'true',
            });
      return {
        summary: {
          corrected,
          colourReevaluation: colour === undefined ? 'not-wired' : 'done',
          colourChanged: colour?.changed ?? false,
          reviewId: colour?.reviewId ?? null,
        },
      };
    },
  };
}

async function ownerOf(
  p: VaultRightsPorts,
  subjects: readonly string[],
  recordId: string,
  actor: string,
): Promise<string> {
  const sys = p.vault.systemRepository({ actor, purpose: 'maintenance' });
  for (const s of subjects) {
    try {
      await sys.get(s, recordId);
      return s;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_VAULT_RECORD_UNKNOWN') {
        throw err;
      }
    }
  }
  throw new CorrectionInvalidError('the subject has no such record');
}

/** A stored colour decision as codes records it (src/services/codes `ColourDecision`). */
interface StoredDecision {
  readonly colour?: unknown;
  readonly decidedAt?: unknown;
  readonly validUntil?: unknown;
  readonly ruleSet?: unknown;
  readonly fired?: ReadonlyArray<{ rule?: unknown; colour?: unknown; reason?: unknown }>;
}

/** `explanation`: the latest colour decision and why (art. 24 para. 3), written to `--out`. */
export function explanationExecutor(p: VaultRightsPorts): RightsExecutor {
  return {
    async execute(_db, req, options) {
      const out = checkOutPath(options.outPath, p.dataDir);
      const sys = p.vault.systemRepository({ actor: actorOf(req), purpose: 'maintenance' });
      const decisions: Array<{ at: Date; value: StoredDecision }> = [];
      for (const s of await personSubjects(p.vault, req.subjectId, actorOf(req))) {
        for (const r of await sys.list(s, { categories: ['colour-decisions'] })) {
          decisions.push({ at: r.createdAt, value: r.value as StoredDecision });
        }
      }
      decisions.sort((a, b) => a.at.getTime() - b.at.getTime());
      const latest = decisions[decisions.length - 1];
      const doc = {
        format: 'healthcode-explanation/v1',
        requestId: req.id,
        generatedAt: p.now().toISOString(),
        decisions: decisions.length,
        latest:
          latest === undefined
            ? null
            : {
                colour: latest.value.colour ?? null,
                decidedAt: latest.value.decidedAt ?? latest.at.toISOString(),
                validUntil: latest.value.validUntil ?? null,
                ruleSet: latest.value.ruleSet ?? null,
                why: (latest.value.fired ?? []).map((f) => ({
                  rule: f.rule ?? null,
                  colour: f.colour ?? null,
                  reason: f.reason ?? null,
                })),
              },
        howToContest:
          'request a correction of wrong inputs (request open --type correction); the colour is re-evaluated',
      };
      const artefact = write(out, JSON.stringify(doc, null, 2) + '\n');
      return {
        summary: { decisions: decisions.length, explained: latest !== undefined },
        artefact,
      };
    },
  };
}
