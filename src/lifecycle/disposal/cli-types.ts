// SPDX-License-Identifier: Apache-2.0
/** @module Option bag shared by the disposal command implementations. */
export type Opts = Record<string, string | boolean | undefined>;
