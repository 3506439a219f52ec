// SPDX-License-Identifier: Apache-2.0
/**
 * @module The privacy-impact gate of automated colour decisions (PIPL art. 55(2), 56; DOMAIN.md
 * §6 req. 22): no decision about a person is made under a rule set until an `automated-decision`
 * assessment of that rule set (`id@version`, so a new version needs its own) is stored, made at or
 * before the moment of deciding. Operators record it with `healthcode purpose pia add`; a
 * synthetic instance (seed, demo) records a stand-in that says what it is.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import type { PiaRecord } from '../../personal/consent/index.js';
import type { Database } from '../../platform/db/index.js';
import { BUILT_IN_RULE_SETS, ruleSetLabel, type RuleSet } from './rule-set.js';

/** The assessment the rule set's decisions at `at` run under, or `ERR_CONSENT_PIA_REQUIRED`. */
export async function requireRuleSetAssessment(
  db: Kysely<Database>,
  ruleSet: RuleSet,
  at: Date,
): Promise<PiaRecord> {
  // Loaded on use, as the vault is: consent brings the audit log, which verifying never needs.
  const { requirePia } = await import('../../personal/consent/index.js');
  return requirePia(db, 'automated-decision', ruleSetLabel(ruleSet), at);
}

/** What a synthetic instance's stand-in assessment says: it covers invented people only. */
const SYNTHETIC_ASSESSMENT = {
  lawfulness: 'Synthetic instance: every resident is invented (config "synthetic": true).',
  necessity: 'Demonstrates the built-in colour rules on synthetic data only.',
  impact: 'No real person is decided about; a real deployment needs its own assessment.',
  safeguards: 'Seeding refuses a non-synthetic instance; every page and report says synthetic.',
  assessor: 'healthcode seed (synthetic instance)',
} as const;

/**
 * Records the stand-in assessment of every built-in rule set that has none yet, on a synthetic
 * instance only (the seed and demo paths call it after seeding).
 */
export async function recordSyntheticAssessments(store: Store): Promise<void> {
  if (!store.config.synthetic) {
    throw new TypeError('only a synthetic instance records a stand-in assessment');
  }
  const { consentRuntime, listPias, recordPia } = await import('../../personal/consent/index.js');
  const rt = await consentRuntime(store);
  for (const ruleSet of BUILT_IN_RULE_SETS) {
    const ref = ruleSetLabel(ruleSet);
    if ((await listPias(store.db.kysely, { kind: 'automated-decision', ref })).length === 0) {
      await recordPia(
        rt.deps,
        { kind: 'automated-decision', ref, ...SYNTHETIC_ASSESSMENT },
        'system:seed',
      );
    }
  }
  await rt.finish();
}
