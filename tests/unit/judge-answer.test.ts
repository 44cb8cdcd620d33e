/** The outbox's reading of a score POST's answer (shared by the tablet page and the crash test). */
import { describe, expect, it } from 'vitest';
import { answerKind } from '../../static/client/judge/answer.js';

describe('answerKind', () => {
  it('accepts 2xx, retries 408/429/5xx, keeps auth problems and refuses other 4xx', () => {
    expect([200, 201].map((s) => answerKind(s, undefined))).toEqual(['accepted', 'accepted']);
    expect([408, 429, 500, 503].map((s) => answerKind(s, undefined))).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect(answerKind(401, 'unauthenticated')).toBe('auth');
    expect(answerKind(403, 'csrf-invalid')).toBe('auth');
    expect(answerKind(403, 'judge-recused')).toBe('refused');
    expect(answerKind(409, 'window-closed')).toBe('refused');
    expect(answerKind(422, 'validation-failed')).toBe('refused');
  });
});
