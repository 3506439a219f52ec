// SPDX-License-Identifier: Apache-2.0
/**
 * @module The route table: every `/api/` route of the server, in one list. The OpenAPI document,
 * the role-matrix test and the fuzz test all read it.
 */
import { analyticsRoutes } from './routes-analytics.js';
import { analystRoutes } from './routes-analyst.js';
import { auditRoutes } from './routes-audit.js';
import { citizenDataRoutes } from './routes-citizen-data.js';
import { citizenHealthRoutes } from './routes-citizen-health.js';
import { citizenRoutes } from './routes-citizen.js';
import { demoRoutes } from './routes-demo.js';
import { disposalRoutes } from './routes-disposal.js';
import { operatorRoutes } from './routes-operator.js';
import { operatorWriteRoutes } from './routes-operator-writes.js';
import { publicRoutes } from './routes-public.js';
import { tripcardRoutes } from './routes-tripcard.js';
import type { RouteSpec } from './route-kit.js';

export function apiRoutes(): RouteSpec[] {
  return [
    ...publicRoutes(),
    ...citizenRoutes(),
    ...citizenDataRoutes(),
    ...citizenHealthRoutes(),
    ...tripcardRoutes(),
    ...analystRoutes(),
    ...analyticsRoutes(),
    ...auditRoutes(),
    ...operatorRoutes(),
    ...operatorWriteRoutes(),
    ...disposalRoutes(),
    ...demoRoutes(),
  ];
}
