// SPDX-License-Identifier: Apache-2.0
/**
 * @module The database schema type. Each capability adds its tables by augmenting
 * {@link Database} in its own `repository.ts` (`declare module './schema.js'`), so `db/`
 * never imports a capability (DESIGN.md §2: imports flow one way).
 */

/** All tables, merged from the capabilities' declarations. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

/** The two engines every repository runs on (DESIGN.md §3). */
export type DialectName = 'sqlite' | 'postgres';
