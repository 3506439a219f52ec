// SPDX-License-Identifier: Apache-2.0
/**
 * @module The statistics consent of an instance, for an input party that reads one (PIPL arts.
 * 13, 14, 29; DOMAIN.md §6 req. 23): a carrier event is keyed by phone, so the vault's blind index
 * (HMAC of the normalised E.164 number under the instance lookup key) finds the subscriber
 * subject, a SIM linked to exactly one citizen counts under that citizen's consent, and the
 * consent capability's purpose guard decides `statistics` on `location-events`. A phone the vault
 * does not know is refused (fail closed). The same mapping the analyst API route uses.
 */
import type { Store } from '../../platform/runtime/index.js';
import type { OpenInstanceVault } from '../../personal/vault/index.js';
import { domainErrors } from '../../kernel/domain/index.js';
import { guardedConsent, type SubjectResolver } from './consent.js';
import type { StatisticsConsentPort } from './local.js';

/** The actor the vault records for the phone → subject lookups. */
export const ANALYTICS_CONSENT_ACTOR = 'system:analytics-consent';

/** A consent port over an open instance; `finish()` signs an audit checkpoint if reads appended. */
export interface InstanceConsent {
  readonly consent: StatisticsConsentPort;
  /** The resolver behind it (phone → opaque subject id), for callers that need the mapping. */
  readonly subjectOf: SubjectResolver;
  finish(): Promise<void>;
}

/** Wires the vault's phone lookup and the consent guard of `store` into a statistics port. */
export async function instanceStatisticsConsent(
  store: Store,
  openInstanceVault: OpenInstanceVault,
): Promise<InstanceConsent> {
  const { consentRuntime, ConsentGuard } = await import('../../personal/consent/index.js');
  const iv = await openInstanceVault(store);
  // The vault tells the guard each subject's age (PIPL art. 31).
  const rt = await consentRuntime(store, { subjects: iv.vault });
  // Lookups run under the vault's maintenance purpose; every find is audited by the vault.
  const sys = iv.vault.systemRepository({ actor: ANALYTICS_CONSENT_ACTOR, purpose: 'maintenance' });
  const subjectOf: SubjectResolver = async (s) => {
    let subscriber: string | undefined;
    try {
      subscriber = await sys.findSubscriber(s.phone);
    } catch (err) {
      // A feed line whose phone is not a mobile number has no subject: refused, not fatal.
      if (err instanceof domainErrors.PhoneError) {
        return undefined;
      }
      throw err;
    }
    if (subscriber === undefined) {
      return undefined;
    }
    // A SIM linked to one person counts under that person's consent; otherwise the subscriber's.
    const citizens = await sys.links(subscriber);
    return citizens.length === 1 ? citizens[0] : subscriber;
  };
  return {
    consent: guardedConsent(new ConsentGuard(rt.deps), subjectOf),
    subjectOf,
    async finish() {
      await rt.finish();
      await iv.finish();
    },
  };
}
