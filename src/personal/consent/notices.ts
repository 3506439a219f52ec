// SPDX-License-Identifier: Apache-2.0
/**
 * @module Versioned notices (PIPL art. 17; DESIGN.md §5): the user agreement and privacy policy
 * in Chinese and English, each identified by the SHA-256 of its text. Publishing renders them
 * from the current catalogue; an unchanged text keeps its version, a changed one supersedes the
 * previous version (consents keep the hash they were given under).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { NoticeInvalidError } from './errors.js';
import type { ConsentDeps } from './internal.js';
import { isActiveAt, type Catalogue } from './model.js';
import {
  NOTICE_LANGUAGES,
  noticeHash,
  renderPrivacyPolicy,
  renderUserAgreement,
  type NoticeKind,
  type NoticeLanguage,
} from './notice-render.js';
import * as repo from './repository.js';

export interface Notice {
  readonly hash: string;
  readonly kind: NoticeKind;
  readonly language: NoticeLanguage;
  readonly version: number;
  readonly body: string;
  readonly publishedAt: Date;
  readonly supersededAt: Date | null;
}

export function rowToNotice(r: repo.ConsentNoticesTable): Notice {
  return {
    hash: r.hash,
    kind: r.kind as NoticeKind,
    language: r.language as NoticeLanguage,
    version: r.version,
    body: r.body,
    publishedAt: new Date(r.published_at),
    supersededAt: r.superseded_at === null ? null : new Date(r.superseded_at),
  };
}

/** Renders the four notices from `catalogue` and stores those whose text changed. */
export async function publishFromCatalogue(
  db: Kysely<Database>,
  controller: ConsentDeps['controller'],
  catalogue: Catalogue,
  at: Date,
): Promise<Notice[]> {
  const input = {
    controller,
    purposes: [...catalogue.purposes.values()].filter((p) => isActiveAt(p, at)),
    services: [...catalogue.services.values()].filter((s) => isActiveAt(s, at)),
  };
  const current = new Map(
    (await repo.selectCurrentNotices(db)).map((r) => [`${r.kind}/${r.language}`, r]),
  );
  const out: Notice[] = [];
  for (const language of NOTICE_LANGUAGES) {
    const policy = renderPrivacyPolicy(input, language);
    const policyHash = noticeHash(policy);
    const agreement = renderUserAgreement(input, language, policyHash);
    for (const [kind, body] of [
      ['privacy-policy', policy],
      ['user-agreement', agreement],
    ] as const) {
      const hash = noticeHash(body);
      const existing = current.get(`${kind}/${language}`);
      if (existing?.hash === hash) {
        out.push(rowToNotice(existing));
        continue;
      }
      const old = await repo.selectNotice(db, hash);
      if (old !== undefined) {
        // The same text as an earlier version (a change undone): republish it as a new version
        // would collide on the hash, so make the old row current again.
        await db
          .updateTable('consent_notices')
          .set({ superseded_at: at.getTime() })
          .where('kind', '=', kind)
          .where('language', '=', language)
          .where('superseded_at', 'is', null)
          .execute();
        await db
          .updateTable('consent_notices')
          .set({ superseded_at: null })
          .where('hash', '=', hash)
          .execute();
        out.push(rowToNotice({ ...old, superseded_at: null }));
        continue;
      }
      const version = await repo.insertNotice(db, {
        hash,
        kind,
        language,
        body,
        published_at: at.getTime(),
      });
      out.push({ hash, kind, language, version, body, publishedAt: at, supersededAt: null });
    }
  }
  return out;
}

/** Every stored version, oldest first per kind and language. */
export async function listNotices(db: Kysely<Database>): Promise<Notice[]> {
  return (await repo.selectNotices(db)).map(rowToNotice);
}

/** A notice by its hash (with or without a `sha256:` prefix). */
export async function getNotice(db: Kysely<Database>, hash: string): Promise<Notice> {
  const h = hash.replace(/^sha256:/, '').toLowerCase();
  const row = /^[0-9a-f]{64}$/.test(h) ? await repo.selectNotice(db, h) : undefined;
  if (row === undefined) {
    throw new NoticeInvalidError('no notice with that hash');
  }
  return rowToNotice(row);
}

/** The notice a consent is given under: it must be a current privacy policy. */
export async function requireCurrentPolicy(db: Kysely<Database>, hash: string): Promise<Notice> {
  const n = await getNotice(db, hash);
  if (n.kind !== 'privacy-policy') {
    throw new NoticeInvalidError('consent must cite the privacy policy, not the user agreement');
  }
  if (n.supersededAt !== null) {
    throw new NoticeInvalidError(
      `privacy policy version ${n.version} (${n.language}) is superseded; show the current one and ask again`,
    );
  }
  return n;
}
