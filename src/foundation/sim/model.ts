// SPDX-License-Identifier: Apache-2.0
/**
 * @module Types of the deterministic synthetic city: residents (GB 11643 ID numbers,
 * GB/T 2260 household regions, GB/T 2261.1 sex codes, E.164 phones), carrier location
 * events on an H3 grid, health records, risk areas, and the `PopulationSink` port
 * through which a seeded population reaches storage.
 */

/** The three mobile network operators: China Mobile, China Unicom, China Telecom. */
export type CarrierId = 'cmcc' | 'cucc' | 'ctcc';

export interface SyntheticResident {
  readonly seq: number; // 0-based ordinal within the run
  readonly name: string; // full Chinese name (2–4 chars; canaries ≥ 4)
  readonly idNumber: string; // 18-char GB 11643, valid check char, real county code of the prefecture
  readonly sex: '1' | '2'; // GB/T 2261.1, consistent with the ID sequence parity
  readonly birthDate: string; // YYYY-MM-DD
  readonly nationality: 'CN';
  readonly phone: string; // E.164 +86 1xxxxxxxxxx (primary SIM)
  readonly carrier: CarrierId;
  readonly secondPhone?: { readonly phone: string; readonly carrier: CarrierId }; // some people have two SIMs
  readonly householdRegion: string; // 6-digit GB/T 2260 county code
  readonly address: string; // detailed address within the division (synthetic)
  readonly homeCell: string; // H3 index
  readonly workCell: string; // H3 index
  readonly medicalHistory: readonly string[];
  readonly guardianSeq?: number; // set for under-14s: the seq of their guardian (an adult resident)
  /** True for residents planted by `--canaries`; their values must never leak. */
  readonly canary?: boolean;
}

export interface LocationEvent {
  readonly id: string;
  readonly time: string /* RFC 3339 with +08:00 */;
  readonly cell: string;
}

export type SyntheticRecord =
  | { readonly type: 'resident'; readonly resident: SyntheticResident }
  | {
      readonly type: 'location-events';
      readonly seq: number;
      readonly phone: string;
      readonly carrier: CarrierId;
      readonly day: string /* YYYY-MM-DD local */;
      readonly events: readonly LocationEvent[];
    }
  | {
      readonly type: 'declaration';
      readonly seq: number;
      readonly time: string;
      readonly temperature: number;
      readonly symptoms: readonly string[];
    }
  | {
      readonly type: 'test-result';
      readonly seq: number;
      readonly time: string;
      readonly kind: 'nucleic-acid' | 'antigen';
      readonly result: 'negative' | 'positive';
    }
  | {
      readonly type: 'vaccination';
      readonly seq: number;
      readonly date: string;
      readonly vaccine: string;
      readonly dose: number;
    };

/** Port: where a generated population goes (the vault implements it with encrypted storage). */
export interface PopulationSink {
  write(batch: readonly SyntheticRecord[]): Promise<void>;
  finish(): Promise<{ subjects: number; records: number }>;
}

export interface RiskArea {
  readonly region: string;
  readonly level: 'medium' | 'high';
  readonly from: string;
  readonly to: string;
}
