// SPDX-License-Identifier: Apache-2.0
/**
 * @module Executors the rights workflow can run without the vault: a withdrawal request carried
 * out on the consent ledger (PIPL art. 15; DOMAIN.md §6 req. 10) — every active consent of the
 * subject, or of the purpose the request names, is withdrawn, each with its receipt and its
 * deletion trigger.
 */
import {
  subjectConsents,
  withdrawConsent,
  type LedgerDeps,
  consentErrors,
} from '../../personal/consent/index.js';
import type { RightsExecutor } from './ports.js';

/** Carries out `withdrawal` requests on the consent ledger. */
export function consentWithdrawalExecutor(ledger: LedgerDeps): RightsExecutor {
  return {
    async execute(db, request) {
      const deps = { ...ledger, db };
      const state = await subjectConsents(db, request.subjectId);
      const only = request.params.purposeId;
      const purposes = [
        ...new Set(
          state.consents
            .filter((c) => c.status === 'active' && (only === undefined || c.purposeId === only))
            .map((c) => c.purposeId),
        ),
      ];
      if (purposes.length === 0) {
        throw new consentErrors.NothingToWithdrawError(
          only === undefined
            ? 'the subject has no active consent'
            : `no active consent for ${only}`,
        );
      }
      const receipts: string[] = [];
      let categories = 0;
      let toDelete = 0;
      for (const purposeId of purposes) {
        const r = await withdrawConsent(deps, {
          subjectId: request.subjectId,
          purposeId,
          collectionMethod: `request:${request.id}`,
          actor: `request:${request.id}`,
        });
        receipts.push(r.receiptId);
        categories += r.categories.length;
        toDelete += r.deletion.categories.length;
      }
      return {
        summary: {
          purposes: purposes.join(','),
          categories,
          categoriesToDelete: toDelete,
          receipts: receipts.join(','),
        },
      };
    },
  };
}
