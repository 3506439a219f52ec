// SPDX-License-Identifier: Apache-2.0
/**
 * @module Fills the Kantara Consent Receipt v1.1 fields (anchors/credentials.md §8) for one
 * grant or withdrawal act from the catalogue, the controller and the act itself. Pure.
 */
import { isSensitive, type DataCategory } from '../../kernel/domain/index.js';
import type { Purpose, Service } from './model.js';
import type { ConsentReceipt, ReceiptExtension, ReceiptPurpose } from './receipt-format.js';
import { RECEIPT_VERSION } from './receipt-format.js';

export interface ReceiptAct {
  readonly receiptId: string;
  readonly at: Date;
  readonly subjectId: string;
  readonly purpose: Purpose;
  readonly services: readonly Service[];
  readonly categories: readonly DataCategory[];
  readonly under14: boolean;
  readonly language: string;
  readonly collectionMethod: string;
  readonly controller: { readonly name: string; readonly contact: string };
  readonly publicKey: string;
  readonly extension: ReceiptExtension;
}

/** The receipt URI of a notice: its content hash (the notice is identified by it, not a URL). */
export function policyUri(noticeHash: string | null): string {
  return noticeHash === null
    ? 'urn:healthcode:notice:none'
    : `urn:healthcode:notice:sha256:${noticeHash}`;
}

export function buildReceipt(act: ReceiptAct): ConsentReceipt {
  const p = act.purpose;
  const spiCat = act.categories.filter((c) => isSensitive(c, { under14: act.under14 }));
  const entry: ReceiptPurpose = {
    purpose: p.name.en,
    purposeCategory: [p.id],
    consentType: 'EXPLICIT',
    piiCategory: [...act.categories],
    primaryPurpose: false,
    termination:
      act.extension.action === 'grant'
        ? `until withdrawn or purpose ${p.id} is retired; data kept at most ${p.retention} after collection`
        : `withdrawn at ${act.at.toISOString()}; deletion of data only this purpose needed has started`,
    thirdPartyDisclosure: p.recipients.length > 0,
    thirdPartyName: p.recipients.join(', '),
  };
  const using = act.services.filter((s) => s.purposes.includes(p.id));
  return {
    version: RECEIPT_VERSION,
    jurisdiction: 'CN',
    consentTimestamp: Math.floor(act.at.getTime() / 1000),
    collectionMethod: act.collectionMethod,
    consentReceiptID: act.receiptId,
    publicKey: act.publicKey,
    language: act.language,
    piiPrincipalId: act.subjectId,
    piiControllers: [{ piiController: act.controller.name, contact: act.controller.contact }],
    policyUrl: policyUri(act.extension.noticeHash),
    services: (using.length > 0 ? using.map((s) => s.id) : [p.id]).map((service) => ({
      service,
      purposes: [entry],
    })),
    sensitive: spiCat.length > 0,
    spiCat,
    'x-healthcode': act.extension,
  };
}
