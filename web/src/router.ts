// SPDX-License-Identifier: Apache-2.0
/** @module Path routing under `/ui/` with the History API; the server answers every page path with index.html. */

export const BASE = '/ui/';

export function pageFromPath(pathname: string, known: readonly string[]): string {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '';
  const name = rest.split('/')[0] ?? '';
  return known.includes(name) ? name : '';
}

export function navigate(page: string): void {
  history.pushState(null, '', BASE + page);
  dispatchEvent(new PopStateEvent('popstate'));
}
