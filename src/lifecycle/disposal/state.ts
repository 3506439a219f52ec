// SPDX-License-Identifier: Apache-2.0
/**
 * @module The plan's life: draft → approved → running → awaiting-acks → done. A plan is approved
 * once enough distinct operators signed its current content; it runs once started; it waits for
 * third parties' acknowledgments (PIPL arts. 21, 23; DOMAIN.md req. 16) after every subject is
 * disposed; and it is done when nothing is pending.
 */
import type { PlanState } from './model.js';

export interface StateInputs {
  readonly approved: boolean;
  /** Present once `disposal run` has started the plan. */
  readonly run?:
    | {
        readonly total: number;
        readonly done: number;
        /** True once every subject is disposed and the certificate is written. */
        readonly executed: boolean;
      }
    | undefined;
  readonly pendingAcks: number;
}

/** The one state a plan is in. */
export function planState(s: StateInputs): PlanState {
  if (s.run === undefined) {
    return s.approved ? 'approved' : 'draft';
  }
  if (!s.run.executed) {
    return 'running';
  }
  return s.pendingAcks > 0 ? 'awaiting-acks' : 'done';
}
