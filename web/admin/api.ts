/** The admin API client: bearer token from sessionStorage, JSON in and out, errors with the server's message. */

const TOKEN_KEY = 'bangban-kb-admin-token';
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string, readonly body: Record<string, unknown> = {}) {
    super(message);
  }
}

export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Fired when the server no longer accepts the token: the page goes back to the sign-in form. */
export const SIGNED_OUT_EVENT = 'bangban:signed-out';

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = session.token();
  return token ? { Authorization: `Bearer ${token}`, ...extra } : extra;
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { message?: string; field?: string } & Record<string, unknown>;
  if (res.status === 401) {
    session.signOut();
    window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  }
  return new ApiError(res.status, body.message || `请求失败（HTTP ${res.status}）`, body.field, body);
}

/** Calls the API; paths are relative to /api/v1. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await fetch(API + path, {
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Sends a file as the raw request body, its name in the query string. */
export async function upload<T>(path: string, file: File, params: Record<string, string | boolean | undefined> = {}): Promise<T> {
  const res = await fetch(API + path + query({ name: file.name, ...params }), {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/octet-stream' }),
    body: file,
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** Downloads an authenticated file (the token cannot go into a plain link); with `file`, what the server makes of it. */
export async function download(path: string, file?: File): Promise<void> {
  const res = await fetch(
    API + path + (file ? `${path.includes('?') ? '&' : '?'}name=${encodeURIComponent(file.name)}` : ''),
    file ? { method: 'POST', headers: headers({ 'Content-Type': 'application/octet-stream' }), body: file } : { headers: headers() },
  );
  if (!res.ok) throw await failure(res);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : 'download';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
