/**
 * A minimal HTTP/1.1 client for the crash test and the fuzzer: one connection per request (so a
 * killed server shows up as a network error, never as a stale pooled socket), an optional local
 * loopback address (each simulated tablet gets its own 127.0.0.x, as real tablets have their own
 * IP), a timeout, a size cap on answers, and a tiny cookie jar. Loopback only.
 */
import http from 'node:http';

export interface HttpTarget {
  host: '127.0.0.1';
  port: number;
}

export interface HttpRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address, e.g. 127.0.0.23 (any 127/8 address works on Linux). */
  localAddress?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Sends one request; rejects on network errors and timeouts (the caller decides what that means). */
export function request(target: HttpTarget, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const headers: Record<string, string> = { connection: 'close', ...req.headers };
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
      headers['content-length'] = String(body.length);
    const r = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.path,
        headers,
        agent: false,
        localAddress: req.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy(new Error('response too large'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (String(res.headers['content-type'] ?? '').includes('json')) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    r.setTimeout(req.timeoutMs ?? 15_000, () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 15_000} ms`)));
    r.on('error', reject);
    r.end(body);
  });
}

/** Cookies by name, updated from Set-Cookie headers. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  update(res: HttpResponse): void {
    const raw = res.headers['set-cookie'];
    for (const line of raw ?? []) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      if (at <= 0) continue;
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get size(): number {
    return this.cookies.size;
  }
}

/** The page's CSRF token: the judge layout's meta tag, a data attribute or a form field. */
export function csrfFromHtml(html: string): string | null {
  return (
    /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ??
    /data-csrf-token="([^"]+)"/.exec(html)?.[1] ??
    /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ??
    null
  );
}
