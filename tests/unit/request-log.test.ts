/** Logged paths never carry private link tokens or query strings. */
import { describe, expect, it } from 'vitest';
import { redactPath } from '../../server/http/middleware/request-log.js';

describe('redactPath', () => {
  it.each([
    ['/j/AbCdEf0123456789abcdef0123456789', '/j/[redacted]'],
    ['/r/secretStatusToken123/edit', '/r/[redacted]/edit'],
    ['/appeals/status?t=secret-appeal-token', '/appeals/status'],
    ['/admin/contests/demo?x=1', '/admin/contests/demo'],
    ['/judge', '/judge'],
  ])('%s → %s', (input, expected) => {
    expect(redactPath(input)).toBe(expected);
  });
});
