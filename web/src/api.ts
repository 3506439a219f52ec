// SPDX-License-Identifier: Apache-2.0
/**
 * @module The web UI's client of the HTTP API (docs/api.md): JSON in and out, a bearer token per
 * role kept in sessionStorage (gone when the tab closes), and problem documents (RFC 9457) turned
 * into {@link ApiError}. A 404 "no route" answer is flagged so a page can say the server lacks it.
 */

export type Role = 'citizen' | 'verifier' | 'operator' | 'analyst' | 'auditor';

const KEY = (role: Role) => `healthcode.token.${role}`;

export function getToken(role: Role): string | undefined {
  return sessionStorage.getItem(KEY(role)) ?? undefined;
}

export function setToken(role: Role, token: string | undefined): void {
  if (token === undefined || token === '') {
    sessionStorage.removeItem(KEY(role));
  } else {
    sessionStorage.setItem(KEY(role), token);
  }
}

export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly route: string,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  /** The server answered "no route": this API is not there (yet). */
  get missingRoute(): boolean {
    return this.status === 404 && /^no route for /.test(this.problem.detail ?? '');
  }
}

export interface CallOptions {
  readonly role?: Role;
  readonly method?: string;
  readonly body?: unknown;
  /** Return the raw text instead of parsing JSON. */
  readonly text?: boolean;
}

export async function api<T = unknown>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, text/plain, */*' };
  const token = options.role ? getToken(options.role) : undefined;
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const res = await fetch(path, { method, headers, body, credentials: 'omit' });
  const route = `${method} ${path.split('?')[0] ?? path}`;
  if (!res.ok) {
    let problem: Problem = { status: res.status, title: res.statusText };
    try {
      problem = (await res.json()) as Problem;
    } catch {
      // Not a problem document; keep the status line.
    }
    throw new ApiError(res.status, route, problem);
  }
  if (options.text) {
    return (await res.text()) as T;
  }
  if (res.status === 204) {
    return undefined as T;
  }
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Downloads a response as a file (exports, reports). */
export async function download(path: string, role: Role, filename: string): Promise<void> {
  const token = getToken(role);
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    throw new ApiError(res.status, `GET ${path.split('?')[0] ?? path}`, { status: res.status });
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
