// SPDX-License-Identifier: Apache-2.0
/** @module vitest global setup: one PostgreSQL server for the whole run, URL handed to suites. */
import type { TestProject } from 'vitest/node';
import { startPgCluster, type PgCluster } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const existing = process.env.HEALTHCODE_TEST_PG_URL;
  let cluster: PgCluster | undefined;
  if (existing) {
    project.provide('pgAdminUrl', existing);
  } else {
    cluster = await startPgCluster();
    project.provide('pgAdminUrl', cluster.url);
  }
  return () => cluster?.stop();
}
