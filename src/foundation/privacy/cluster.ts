// SPDX-License-Identifier: Apache-2.0
/**
 * @module A local cluster of party nodes in one process, over real TLS on loopback: credentials for
 * every party, pinned peer lists, listening nodes and a coordinator identity. Used by tests, the
 * benchmark and `analytics run` on local feeds; production runs each party as its own process.
 */
import { randomBytes } from 'node:crypto';
import type { Random } from '../../kernel/shared/index.js';
import type { PeerEntry } from './model.js';
import { startPartyNode, type InputProvider, type PartyNode } from './party.js';
import { createPartyCredentials, type PartyCredentials } from './x509.js';

export interface LocalCluster {
  readonly coordinator: PartyCredentials;
  /** The coordinator's identity (so a cluster can be passed as `CoordinatorOptions`). */
  readonly identity: PartyCredentials;
  /** Every party, pinned, with its address. */
  readonly parties: PeerEntry[];
  readonly compute: Array<{ name: string; host: string; port: number }>;
  readonly inputs: string[];
  readonly nodes: PartyNode[];
  /** Credentials by party name (tests use them to impersonate a party). */
  readonly credentials: ReadonlyMap<string, PartyCredentials>;
  close(): Promise<void>;
}

/** Starts `inputs` input parties and `computeCount` compute parties on 127.0.0.1. */
export async function startLocalCluster(options: {
  inputs: ReadonlyArray<{ name: string; provider: InputProvider }>;
  computeCount?: number;
  allowNoiseOff?: boolean;
  random?: Random;
  log?: (msg: string) => void;
}): Promise<LocalCluster> {
  const now = new Date();
  const cred = (name: string) => createPartyCredentials(name, now, randomBytes(8));
  const coordinator = cred('coordinator');
  const computeNames = Array.from(
    { length: options.computeCount ?? 2 },
    (_, i) => `compute-${i + 1}`,
  );
  const creds = new Map<string, PartyCredentials>();
  for (const i of options.inputs) {
    creds.set(i.name, cred(i.name));
  }
  for (const c of computeNames) {
    creds.set(c, cred(c));
  }
  const pinned: PeerEntry[] = [
    { name: 'coordinator', role: 'coordinator', fingerprint: coordinator.fingerprint },
    ...options.inputs.map((i) => ({
      name: i.name,
      role: 'input' as const,
      fingerprint: creds.get(i.name)!.fingerprint,
    })),
    ...computeNames.map((c) => ({
      name: c,
      role: 'compute' as const,
      fingerprint: creds.get(c)!.fingerprint,
    })),
  ];
  const nodes: PartyNode[] = [];
  const parties: PeerEntry[] = [];
  const compute: Array<{ name: string; host: string; port: number }> = [];
  try {
    for (const c of computeNames) {
      const node = await startPartyNode({
        name: c,
        role: 'compute',
        identity: creds.get(c)!,
        peers: pinned.filter((p) => p.name !== c),
        ...(options.random ? { random: options.random } : {}),
        ...(options.log ? { log: options.log } : {}),
        ...(options.allowNoiseOff ? { allowNoiseOff: true } : {}),
      });
      nodes.push(node);
      compute.push({ name: c, host: '127.0.0.1', port: node.port });
      parties.push({
        name: c,
        role: 'compute',
        fingerprint: creds.get(c)!.fingerprint,
        host: '127.0.0.1',
        port: node.port,
      });
    }
    for (const i of options.inputs) {
      const node = await startPartyNode({
        name: i.name,
        role: 'input',
        identity: creds.get(i.name)!,
        peers: pinned.filter((p) => p.name !== i.name),
        inputProvider: i.provider,
        ...(options.random ? { random: options.random } : {}),
        ...(options.log ? { log: options.log } : {}),
      });
      nodes.push(node);
      parties.push({
        name: i.name,
        role: 'input',
        fingerprint: creds.get(i.name)!.fingerprint,
        host: '127.0.0.1',
        port: node.port,
      });
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.close()));
    throw err;
  }
  return {
    coordinator,
    identity: coordinator,
    parties,
    compute,
    inputs: options.inputs.map((i) => i.name),
    nodes,
    credentials: creds,
    close: async () => {
      await Promise.all(nodes.map((n) => n.close()));
    },
  };
}
