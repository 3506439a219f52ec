// SPDX-License-Identifier: Apache-2.0
/**
 * @module The operator's automated-decision assessment of the built-in colour rules (PIPL
 * art. 55(2); DOMAIN.md §6 req. 22), recorded the way `healthcode purpose pia add` records it:
 * what a test instance needs before it decides anyone's colour.
 */
import type { Store } from '../../src/platform/runtime/index.js';
import { BUILT_IN_RULE_SETS, ruleSetLabel } from '../../src/services/codes/index.js';
import { consentRuntime, recordPia } from '../../src/personal/consent/index.js';

/** A complete art. 56 record for the rules the tests decide under. */
export const RULES_ASSESSMENT = {
  lawfulness: 'PIPL art. 13(4): epidemic control; art. 24 explanation and review offered.',
  necessity: 'Only test results, declarations, itinerary and orders feed the rules.',
  impact: 'A wrong colour restricts movement; decisions are logged and explained.',
  safeguards: 'Human review on request, correction path, Merkle audit log.',
  assessor: 'dpo@test.example',
} as const;

/** Records the assessment of every built-in rule set, as an operator would before going live. */
export async function assessColourRules(store: Store): Promise<void> {
  const rt = await consentRuntime(store);
  try {
    for (const ruleSet of BUILT_IN_RULE_SETS) {
      await recordPia(
        rt.deps,
        { kind: 'automated-decision', ref: ruleSetLabel(ruleSet), ...RULES_ASSESSMENT },
        'operator:dpo',
      );
    }
  } finally {
    await rt.finish();
  }
}
