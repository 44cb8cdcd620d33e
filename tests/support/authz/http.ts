/**
 * Sending one matrix request as an actor (its cookies, client address, CSRF token) and the
 * small helpers both the authorization matrix and the web-security tests share.
 */
import supertest from 'supertest';
import type { Express } from 'express';
import type { Req } from './inventory.js';
import type { Actor } from './world.js';

export interface SendOptions {
  /** The CSRF token to send; defaults to the actor's own; null sends none. */
  csrf?: string | null;
  headers?: Record<string, string>;
}

export function send(
  app: Express,
  method: string,
  req: Req,
  actor: Actor,
  options: SendOptions = {},
): Promise<supertest.Response> {
  const url = req.query ? `${req.path}?${new URLSearchParams(req.query).toString()}` : req.path;
  const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const call = supertest(app)[verb](url).set(actor.headers());
  if (options.headers) call.set(options.headers);
  if (method === 'GET' || method === 'HEAD') return call.then((r) => r);
  const csrf = options.csrf === undefined ? actor.csrf : options.csrf;
  if (csrf) call.set('x-csrf-token', csrf);
  const body = req.body ?? {};
  return (req.kind === 'json' ? call.send(body) : call.type('form').send(body)).then((r) => r);
}

/** `METHOD path` → its parts. */
export function splitKey(key: string): { method: string; path: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), path: key.slice(space + 1) };
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));

export function describeResponse(res: supertest.Response): string {
  const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
  return `${res.status}${code ? ` ${code}` : ''}${res.headers.location ? ` → ${String(res.headers.location)}` : ''}`;
}

/**
 * express-rate-limit warns (once per limiter) that TRUST_PROXY=true lets clients pick their
 * address, or that X-Forwarded-For arrives while it is off. The tests do both on purpose (each
 * actor gets its own address; a forged header must not help): drop those two warnings.
 */
const QUIET = new Set(['ERR_ERL_PERMISSIVE_TRUST_PROXY', 'ERR_ERL_UNEXPECTED_X_FORWARDED_FOR']);

export function quietTrustProxyWarning(): () => void {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    const permissive = (a: unknown) =>
      typeof a === 'object' && a !== null && QUIET.has(String((a as { code?: unknown }).code));
    if (args.some(permissive)) return;
    original(...args);
  };
  return () => {
    console.error = original;
  };
}
