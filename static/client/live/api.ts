/**
 * JSON calls to the organizer API from the contest-day pages: the session cookie plus the CSRF
 * header; errors come back with the server's translated message (never thrown).
 */

export type ApiResult<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

export async function api<T>(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  csrf: string,
  body?: unknown,
  networkMessage = 'Network error',
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: 'network', message: networkMessage };
  }
  const json = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return { ok: true, status: res.status, data: json as T };
  const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
  return { ok: false, status: res.status, code: error?.code ?? 'internal', message: error?.message ?? res.statusText };
}
