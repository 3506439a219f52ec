// SPDX-License-Identifier: Apache-2.0
/**
 * @module Privacy computing's public door (DESIGN.md §8): additive secret sharing mod 2^64, exact
 * integer DP samplers (CKS20) and Skellam noise, the zCDP accountant and persistent ledger, release
 * rules (contribution bounding, suppression, linkage test), party nodes over pinned TLS 1.3, the
 * job coordinator, and ECDH-PSI over ristretto255.
 */
export {
  addInto,
  subInto,
  splitShares,
  reconstruct,
  randomVector,
  toSigned,
  Prg,
  ShareSplitter,
  DEFAULT_CHUNK_CELLS,
} from './ring.js';
export { RandomBits } from './random-bits.js';
export { ExactSampler, rational, rationalToNumber, isqrt } from './samplers.js';
export type { Rational } from './samplers.js';
export {
  countingSensitivity,
  discreteGaussianCost,
  skellamCost,
  chargedRho,
  composeCosts,
  epsilonAt,
  rhoForEpsilon,
  calibrateSkellam,
  calibrateDiscreteGaussian,
} from './accountant.js';
export type { ZcdpCost, Sensitivity } from './accountant.js';
export {
  DEFAULT_K,
  BoundedHistogram,
  suppressSmallCells,
  linkageTest,
  combineLinkage,
} from './release.js';
export type { BoundingStats, ReleasedValue, LinkageRecord, LinkageResult } from './release.js';
export { MSG, PARTY_ROLES, parseJobSpec, peerSchema, fullShareHolder } from './model.js';
export type { JobSpec, PeerEntry, PartyRole } from './model.js';
export { createPartyCredentials, certificateFingerprint } from './x509.js';
export { initParty } from './party-identity.js';
export type { PartyCredentials } from './x509.js';
export { connectPinned, listenPinned, FramedConnection } from './channel.js';
export type { TlsIdentity } from './channel.js';
export { startPartyNode } from './party.js';
export { applyDedup, dedupAsReceiver, dedupAsSender } from './dedup.js';
export type { PersonContribution } from './dedup.js';
export type { PartyNode, PartyNodeOptions, LocalInput, InputProvider } from './party.js';
export { JobSession } from './coordinator.js';
export { LinkPool } from './link-pool.js';
export type { LinkTarget } from './link-pool.js';
export type { CoordinatorOptions } from './coordinator.js';
export { startLocalCluster } from './cluster.js';
export type { LocalCluster } from './cluster.js';
export {
  loadPsiCurve,
  psiItem,
  PsiHolder,
  runPsiSender,
  runPsiReceiver,
  POINT_BYTES,
  TAG_BYTES,
} from './psi.js';
export type { PsiCurve, PsiOutcome } from './psi.js';
export * as privacyErrors from './errors.js';
