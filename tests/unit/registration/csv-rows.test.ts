/** The pure CSV import rules: encoding detection, header mapping, reading cells, reference allocation. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLikelyDuplicate } from '../../../server/domain/registration/reference.js';
import {
  DuplicateIndex,
  allocateReferences,
  decodeCsv,
  guessDelimiter,
  headerKey,
  headerOk,
  mapHeader,
  parseFlag,
  parseMembers,
  parseStage,
  readRow,
  resolveTrack,
} from '../../../server/domain/registration/csv-rows.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const tracks = [
  { key: 'devices', name: { zh: '高端医疗器械', en: 'High-end Medical Devices' } },
  { key: 'ai', name: { zh: 'AI+医疗健康', en: 'AI + Healthcare' } },
];

describe('decodeCsv', () => {
  it('reads UTF-8 without and with a BOM', () => {
    expect(decodeCsv(utf8('项目名称,赛道\n'))).toEqual({ ok: true, text: '项目名称,赛道\n', encoding: 'utf-8' });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('项目名称')]);
    expect(decodeCsv(bom)).toEqual({ ok: true, text: '项目名称', encoding: 'utf-8-bom' });
  });

  it('reads GBK bytes (not valid UTF-8) as GB18030', () => {
    // 中文,赛道 in GBK: D6D0 CEC4 2C C8FC B5C0
    const gbk = new Uint8Array([0xd6, 0xd0, 0xce, 0xc4, 0x2c, 0xc8, 0xfc, 0xb5, 0xc0]);
    expect(decodeCsv(gbk)).toEqual({ ok: true, text: '中文,赛道', encoding: 'gb18030' });
  });

  it.each([
    [new Uint8Array([]), 'import-empty-file'],
    [utf8('  \n \n'), 'import-empty-file'],
    [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'import-excel-workbook'],
    [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), 'import-excel-workbook'],
    [new Uint8Array([0xff, 0xfe, 0x41, 0x00]), 'import-utf16'],
    [new Uint8Array([0x41, 0x00, 0x42]), 'import-binary'],
    [new Uint8Array([0x41, 0xff, 0xff]), 'import-bad-encoding'],
    [new Uint8Array([0xef, 0xbb, 0xbf, 0xd6, 0xd0]), 'import-bad-encoding'],
  ])('refuses %o as %s', (bytes, code) => {
    expect(decodeCsv(bytes)).toEqual({ ok: false, code });
  });
});

describe('guessDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a\tb\tc\n1\t2', '\t'],
    ['a;b;c', ';'],
    ['title', ','],
  ])('%j → %j', (text, d) => expect(guessDelimiter(text)).toBe(d));
});

describe('mapHeader', () => {
  it('accepts Chinese, English and marked headers', () => {
    const h = mapHeader(['\uFEFF项目名称*', 'Track', '申报单位（必填）', 'Leader Name', '手机号', 'E-mail', '编号']);
    expect(headerOk(h)).toBe(true);
    expect(h.slots).toEqual(['title', 'track', 'institution', 'leader', 'phone', 'email', 'ref']);
    expect(h.labels.title).toBe('项目名称*');
  });

  it('names missing, unknown and repeated columns', () => {
    const h = mapHeader(['名字', '赛道', '赛道', '负责人', '备注']);
    expect(h.missing).toEqual(['title', 'institution']);
    expect(h.unknown).toEqual(['名字', '备注']);
    expect(h.duplicate).toEqual(['赛道']);
    expect(headerOk(h)).toBe(false);
  });

  it('skips the columns of our own export and blank headers', () => {
    const h = mapHeader(['编号', '项目名称', '赛道', '申报单位', '负责人', '状态', '审核意见', '提交时间', '']);
    expect(headerOk(h)).toBe(true);
    expect(h.slots.slice(5)).toEqual(['ignored', 'ignored', 'ignored', 'blank']);
  });

  it('normalizes width, case and separators', () => {
    expect(headerKey(' Out_Of Competition ')).toBe('outofcompetition');
    expect(headerKey('ＴＩＴＬＥ')).toBe('title');
  });
});

describe('cells', () => {
  it('finds tracks by key, Chinese or English name', () => {
    expect(resolveTrack('devices', tracks)).toBe('devices');
    expect(resolveTrack(' AI＋医疗健康 ', tracks)).toBe('ai');
    expect(resolveTrack('ai + healthcare', tracks)).toBe('ai');
    expect(resolveTrack('创新药品', tracks)).toBeNull();
  });

  it('reads stages, flags and members', () => {
    expect(parseStage('临床试验')).toBe('clinical-trial');
    expect(parseStage('原型/样机')).toBe('prototype');
    expect(parseStage('market')).toBe('market');
    expect(parseStage('')).toBeUndefined();
    expect(parseStage('量产')).toBeNull();
    expect([parseFlag('是'), parseFlag('否'), parseFlag('YES'), parseFlag('0'), parseFlag('')]).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(parseFlag('也许')).toBeNull();
    expect(parseMembers('王五|算法；赵六 ; 钱七｜临床')).toEqual({
      members: [
        { name: '王五', role: '算法' },
        { name: '赵六', role: '' },
        { name: '钱七', role: '临床' },
      ],
    });
    expect(parseMembers('王五|算法;|医生').bad).toBe('|医生');
  });

  it('reads a row into a project draft with cell errors naming the column', () => {
    const header = mapHeader(['项目名称', '赛道', '申报单位', '负责人', '手机', '阶段', '打星', '团队成员', '']);
    const ok = readRow(
      ['智能导管', '高端医疗器械', '某医院', '李华', '138 0013-8000', '已上市', '是', '王五|工程师', ''],
      header,
      tracks,
    );
    expect(ok.errors).toEqual([]);
    expect(ok.draft).toMatchObject({
      title: '智能导管',
      trackKey: 'devices',
      leader: { name: '李华', phone: '13800138000', email: '' },
      stage: 'market',
      outOfCompetition: true,
      members: [{ name: '王五', role: '工程师' }],
    });
    expect(ok.draft.ref).toBeUndefined();

    const bad = readRow(['X', '药', 'Y', 'Z', '', '量产', '可能', '|', '多余'], header, tracks);
    expect(bad.errors.map((e) => [e.column, e.code])).toEqual([
      [null, 'import-unnamed-column'],
      ['track', 'import-unknown-track'],
      ['stage', 'import-unknown-stage'],
      ['outOfCompetition', 'import-invalid-flag'],
      ['members', 'import-invalid-members'],
    ]);
  });
});

describe('allocateReferences', () => {
  it('continues the sequence in row order, past numbers already used', () => {
    expect(
      allocateReferences([undefined, 'X1', undefined], { prefix: 'RS', year: 2024, lastSequence: 3, issued: [] }),
    ).toEqual({ refs: ['RS-2024-0004', 'X1', 'RS-2024-0005'], generated: [true, false, true], lastSequence: 5 });
    expect(
      allocateReferences([undefined, 'RS-2024-0010'], {
        prefix: 'RS',
        year: 2024,
        lastSequence: 2,
        issued: ['RS-2024-0007', 'RS-2023-0099'],
      }).refs,
    ).toEqual(['RS-2024-0011', 'RS-2024-0010']);
  });
});

describe('DuplicateIndex', () => {
  const summary = fc.record({
    ref: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
    title: fc.constantFrom('', '眼底筛查', '眼底 筛查。', 'Stent', 'stent'),
    institution: fc.constantFrom('', '北京大学', '北京大学（医学部）', '某公司有限公司', '某公司'),
    leader: fc.record({
      phone: fc.constantFrom('', '13800138000', '+86 138-0013-8000', '13900000000'),
      email: fc.constantFrom('', 'a@x.com', ' A@X.com', 'b@x.com'),
    }),
  });

  it('answers exactly as findLikelyDuplicate over the whole list', () => {
    fc.assert(
      fc.property(fc.array(summary, { maxLength: 12 }), summary, (existing, candidate) => {
        const index = new DuplicateIndex();
        for (const e of existing) index.add(e);
        const { ref: _ref, ...fresh } = candidate;
        expect(index.find(fresh)).toEqual(findLikelyDuplicate(fresh, existing));
      }),
    );
  });
});
