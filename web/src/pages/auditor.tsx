// SPDX-License-Identifier: Apache-2.0
/**
 * @module The auditor view: the latest signed checkpoint, and inclusion and consistency proofs
 * recomputed in this browser with WebCrypto SHA-256 (RFC 9162 §2.1.3.2, §2.1.4.2) — the server is
 * not trusted to say "valid". Checkpoints seen before are remembered on this device, so a later
 * visit can prove the log only grew (a consistency proof from the remembered one to the new one).
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ActionButton, DataView, Field, Loader, Section, useLoad } from '../components.js';
import { useT } from '../i18n.js';
import { fromBase64, fromHex, toHex } from '../lib/bytes.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../lib/merkle.js';
import { noteSignedBy, readCheckpoint } from '../lib/note.js';
import { RoleGate } from '../role-gate.js';

interface Checkpoint {
  size: number;
  rootHash: string;
  note: string;
  verifierKey?: string;
}

/** Hashes arrive as hex (64 digits) or base64 (the C2SP note form); both are read. */
export function hashBytes(text: string): Uint8Array {
  const b = /^[0-9a-fA-F]{64}$/.test(text) ? fromHex(text) : fromBase64(text);
  if (b === undefined || b.length !== 32) {
    throw new Error('not a SHA-256 hash');
  }
  return b;
}

/**
 * The inclusion answer: the contract's `{ leafIndex, treeSize, leafHash, path }` or the audit
 * log's bundle `{ leafIndex, treeSize, leaf, proof, checkpoint, verifierKey }` (hashes hex or base64).
 */
interface InclusionAnswer {
  leafIndex: number;
  treeSize: number;
  leafHash?: string;
  path?: string[];
  leaf?: string;
  proof?: string[];
  checkpoint?: string;
  verifierKey?: string;
}
interface ConsistencyAnswer {
  from?: number;
  to?: number;
  size1?: number;
  size2?: number;
  path?: string[];
  proof?: string[];
}

/**
 * Recomputes the root from the leaf and the path (RFC 9162 §2.1.3.2) and compares it with the
 * checkpoint shown; a bundle's own checkpoint must carry the same root and its signature verify.
 */
async function checkInclusion(p: InclusionAnswer, cp: Checkpoint): Promise<boolean> {
  if (p.treeSize !== cp.size) {
    return false;
  }
  const leafBytes = p.leaf === undefined ? undefined : fromBase64(p.leaf);
  const hash =
    p.leafHash !== undefined
      ? hashBytes(p.leafHash)
      : leafBytes
        ? await leafHash(leafBytes)
        : undefined;
  if (hash === undefined) {
    return false;
  }
  const root = hashBytes(cp.rootHash);
  if (p.checkpoint !== undefined) {
    const c = readCheckpoint(p.checkpoint);
    if (!c || c.size !== p.treeSize || toHex(c.root) !== toHex(root)) {
      return false;
    }
    if (p.verifierKey !== undefined && !noteSignedBy(p.checkpoint, p.verifierKey)) {
      return false;
    }
  }
  return verifyInclusion(
    p.leafIndex,
    p.treeSize,
    hash,
    (p.path ?? p.proof ?? []).map(hashBytes),
    root,
  );
}

const SEEN_KEY = 'healthcode.seen-checkpoints';
function seen(): Array<{ size: number; rootHash: string }> {
  try {
    const v = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as Array<{ size: number; rootHash: string }>) : [];
  } catch {
    return [];
  }
}
function remember(c: Checkpoint): void {
  const all = seen().filter((x) => x.size !== c.size);
  all.push({ size: c.size, rootHash: c.rootHash });
  localStorage.setItem(SEEN_KEY, JSON.stringify(all.sort((a, b) => a.size - b.size).slice(-20)));
}

function Verdict(props: { ok: boolean | undefined; id: string }) {
  const t = useT();
  if (props.ok === undefined) {
    return null;
  }
  return (
    <p
      id={props.id}
      class={props.ok ? 'verdict ok' : 'verdict bad'}
      role="status"
      data-valid={String(props.ok)}
    >
      {props.ok ? t('proofOk') : t('proofBad')}
    </p>
  );
}

function Proofs(props: { cp: Checkpoint & { before: Array<{ size: number; rootHash: string }> } }) {
  const t = useT();
  const { cp } = props;
  const [leaf, setLeaf] = useState('0');
  const [incl, setIncl] = useState<boolean | undefined>(undefined);
  const [leafData, setLeafData] = useState<unknown>(undefined);
  const older = cp.before.filter((x) => x.size < cp.size);
  const last = older[older.length - 1];
  const [fromSize, setFromSize] = useState(last ? String(last.size) : '1');
  const [fromRoot, setFromRoot] = useState(last ? last.rootHash : '');
  const [cons, setCons] = useState<boolean | undefined>(undefined);
  return (
    <>
      <Section title={t('inclusion')} id="inclusion">
        <Field
          label={t('leafIndex')}
          name="leaf"
          inputMode="numeric"
          value={leaf}
          onInput={setLeaf}
        />
        <ActionButton
          label={t('verify')}
          kind="primary"
          onRun={async () => {
            setIncl(undefined);
            const p = await api<InclusionAnswer>(
              `/api/audit/proof/inclusion?leaf=${encodeURIComponent(leaf)}&size=${cp.size}`,
              { role: 'auditor' },
            );
            setIncl(await checkInclusion(p, cp));
            setLeafData(
              await api(`/api/audit/leaves/${encodeURIComponent(leaf)}`, { role: 'auditor' }).catch(
                (e: unknown) => ({ error: String(e) }),
              ),
            );
          }}
        />
        <Verdict ok={incl} id="inclusion-verdict" />
        {leafData !== undefined ? (
          <details>
            <summary>{t('leaf')}</summary>
            <DataView value={leafData} />
          </details>
        ) : null}
      </Section>
      <Section title={t('consistency')} id="consistency">
        <Field
          label={t('fromSize')}
          name="from"
          inputMode="numeric"
          value={fromSize}
          onInput={setFromSize}
        />
        <Field
          label={`${t('rootHash')} (${t('fromSize')})`}
          name="from-root"
          value={fromRoot}
          onInput={setFromRoot}
        />
        <p class="muted">
          {t('toSize')}: {cp.size}
        </p>
        <ActionButton
          label={t('verify')}
          kind="primary"
          onRun={async () => {
            setCons(undefined);
            const p = await api<ConsistencyAnswer>(
              `/api/audit/proof/consistency?from=${encodeURIComponent(fromSize)}&to=${cp.size}`,
              { role: 'auditor' },
            );
            const from = p.from ?? p.size1;
            const to = p.to ?? p.size2;
            setCons(
              from === Number(fromSize) &&
                to === cp.size &&
                (await verifyConsistency(
                  from,
                  to,
                  (p.path ?? p.proof ?? []).map(hashBytes),
                  hashBytes(fromRoot),
                  hashBytes(cp.rootHash),
                )),
            );
          }}
        />
        <Verdict ok={cons} id="consistency-verdict" />
      </Section>
    </>
  );
}

function AuditorView() {
  const t = useT();
  const cp = useLoad(async () => {
    const c = await api<Checkpoint>('/api/audit/checkpoint', { role: 'auditor' });
    // Remembered only after its root parses, so a later visit can ask for a consistency proof.
    hashBytes(c.rootHash);
    const before = seen();
    remember(c);
    return { ...c, before };
  }, []);
  return (
    <>
      <Section title={t('checkpoint')} id="checkpoint">
        <Loader state={cp}>
          {(c) => (
            <div>
              <dl class="kv">
                <div>
                  <dt>{t('treeSize')}</dt>
                  <dd id="tree-size">{c.size}</dd>
                </div>
                <div>
                  <dt>{t('rootHash')}</dt>
                  <dd>
                    <code>{toHex(hashBytes(c.rootHash))}</code>
                  </dd>
                </div>
              </dl>
              <pre class="note">{c.note}</pre>
              {c.verifierKey !== undefined ? (
                <p
                  id="checkpoint-signature"
                  class={
                    noteSignedBy(c.note, c.verifierKey) && readCheckpoint(c.note)?.size === c.size
                      ? 'verdict ok'
                      : 'verdict bad'
                  }
                  role="status"
                >
                  {noteSignedBy(c.note, c.verifierKey) && readCheckpoint(c.note)?.size === c.size
                    ? `✓ Ed25519 (C2SP signed note) · ${c.verifierKey.split('+')[0]}`
                    : `✗ ${t('proofBad')}`}
                </p>
              ) : null}
            </div>
          )}
        </Loader>
      </Section>
      {cp.data ? <Proofs key={cp.data.size} cp={cp.data} /> : null}
    </>
  );
}

export function AuditorPage() {
  const t = useT();
  return (
    <RoleGate role="auditor" title={t('auditorTitle')}>
      <AuditorView />
    </RoleGate>
  );
}
