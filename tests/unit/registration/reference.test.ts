import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RegistrationRuleError,
  findLikelyDuplicate,
  formatReference,
  nextSequence,
  normalizeEmail,
  normalizePhone,
  normalizeTitle,
  parseReference,
  type RegistrationSummary,
} from '../../../server/domain/registration/index.js';

describe('reference numbers', () => {
  it.each([
    [{ prefix: 'RS', year: 2024, sequence: 12 }, 'RS-2024-0012'],
    [{ prefix: 'RS', year: 2024, sequence: 1 }, 'RS-2024-0001'],
    [{ prefix: 'RS', year: 2024, sequence: 9999 }, 'RS-2024-9999'],
    [{ prefix: 'RS', year: 2024, sequence: 12345 }, 'RS-2024-12345'],
    [{ prefix: 'BJ2', year: 2025, sequence: 7 }, 'BJ2-2025-0007'],
  ])('formats %o as %s', (ref, text) => {
    expect(formatReference(ref)).toBe(text);
    expect(parseReference(text)).toEqual(ref);
  });

  it.each([
    { prefix: 'rs', year: 2024, sequence: 1 },
    { prefix: '1RS', year: 2024, sequence: 1 },
    { prefix: 'R-S', year: 2024, sequence: 1 },
    { prefix: 'ABCDEFGHI', year: 2024, sequence: 1 },
    { prefix: 'RS', year: 999, sequence: 1 },
    { prefix: 'RS', year: 10000, sequence: 1 },
    { prefix: 'RS', year: 2024, sequence: 0 },
    { prefix: 'RS', year: 2024, sequence: 1.5 },
    { prefix: 'RS', year: 2024, sequence: 1_000_000_000 },
  ])('refuses to format %o', (ref) => {
    expect(() => formatReference(ref)).toThrow(RegistrationRuleError);
  });

  it.each([
    [' rs-2024-0012 ', 'RS-2024-0012'],
    ['ＲＳ－２０２４－００１２', 'RS-2024-0012'],
    ['RS – 2024 – 12', 'RS-2024-0012'],
    ['RS-2024-000012', 'RS-2024-0012'],
  ])('parses what people type: %s', (text, canonical) => {
    const ref = parseReference(text);
    expect(ref && formatReference(ref)).toBe(canonical);
  });

  it.each([
    '',
    'RS2024-0012',
    'RS-24-0012',
    'RS-2024-0000',
    'RS-0999-0001',
    'RS-2024-',
    '2024-0012',
    'RS-2024-0012-1',
    'RS_2024_0012',
  ])('rejects %s', (text) => {
    expect(parseReference(text)).toBeNull();
  });

  it('round-trips any valid reference', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}$/),
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 999_999_999 }),
        (prefix, year, sequence) => {
          expect(parseReference(formatReference({ prefix, year, sequence }))).toEqual({ prefix, year, sequence });
        },
      ),
    );
  });

  it('issues the next sequence per prefix and year', () => {
    const issued = ['RS-2024-0007', 'RS-2024-0003', 'RS-2023-0042', 'XY-2024-0099', 'garbage'];
    expect(nextSequence(issued, 'RS', 2024)).toBe(8);
    expect(nextSequence(issued, 'RS', 2025)).toBe(1);
    expect(nextSequence([], 'RS', 2024)).toBe(1);
  });
});

describe('normalization helpers', () => {
  it.each([
    ['+86 138-0013-8000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['010-6512 3456', '01065123456'],
    ['', ''],
  ])('phone %s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('e-mail is trimmed and lower-cased', () => {
    expect(normalizeEmail(' Li.Wei@Example.COM ')).toBe('li.wei@example.com');
  });

  it('title keeps letters and digits only', () => {
    expect(normalizeTitle('基于 AI 的眼底筛查系统。')).toBe('基于ai的眼底筛查系统');
    expect(normalizeTitle('《可降解支架》2.0')).toBe('可降解支架20');
  });
});

describe('findLikelyDuplicate', () => {
  const reg = (
    ref: string,
    title: string,
    institution: string,
    phone = '',
    email = '',
  ): RegistrationSummary & { ref: string } => ({ ref, title, institution, leader: { phone, email } });
  const existing = [
    reg('RS-2024-0001', '基于AI的眼底筛查系统', '首都医科大学附属北京友谊医院', '13800138000', 'wang@example.com'),
    reg('RS-2024-0002', '可降解心脏支架', '北京XX医疗科技有限公司', '13900139000', 'li@example.com'),
  ];

  it.each([
    [
      'same title and institution',
      reg('', '基于 AI 的眼底筛查系统', '首都医科大学附属北京友谊医院（通州院区）'),
      { ref: 'RS-2024-0001', rule: 'title-and-institution' },
    ],
    [
      'same leader phone',
      reg('', '另一个项目', '清华大学', '+86 139 0013 9000'),
      { ref: 'RS-2024-0002', rule: 'leader-phone' },
    ],
    [
      'same leader e-mail',
      reg('', '另一个项目', '清华大学', '', 'LI@Example.com'),
      { ref: 'RS-2024-0002', rule: 'leader-email' },
    ],
    ['same title, other institution', reg('', '可降解心脏支架', '上海XX医疗科技有限公司'), null],
    ['same institution, other title', reg('', '可降解血管支架', '北京XX医疗科技股份有限公司'), null],
    ['nothing in common', reg('', '新项目', '北京大学', '13700137000', 'new@example.com'), null],
    ['empty contact fields', reg('', '', '', '', ''), null],
  ])('%s', (_name, candidate, expected) => {
    const { ref: _ref, ...withoutRef } = candidate;
    expect(findLikelyDuplicate(withoutRef, existing)).toEqual(expected);
  });

  it('reports the first rule in order when several match', () => {
    const candidate = reg('', '可降解心脏支架', '北京XX医疗科技有限公司', '13900139000', 'li@example.com');
    expect(findLikelyDuplicate(candidate, existing)).toEqual({ ref: 'RS-2024-0002', rule: 'title-and-institution' });
  });

  it('skips the candidate itself when it is already saved', () => {
    const self = existing[1] as RegistrationSummary & { ref: string };
    expect(findLikelyDuplicate(self, existing)).toBeNull();
    expect(findLikelyDuplicate({ ...self, ref: 'RS-2024-0009' }, existing)).toEqual({
      ref: 'RS-2024-0002',
      rule: 'title-and-institution',
    });
  });
});
