/**
 * Exports on a seeded contest with locked awards: the Excel workbook opens with exceljs and holds
 * the overall and per-track rankings, the per-judge detail with every dropped mark flagged (fill
 * colour + a "去掉" note), the score record, the awards and a signature sheet with a block per
 * judge and the head judge; the ranking CSV has a BOM and Chinese headers.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { SLUG, P, TITLE, INSTITUTION, seed } from '../support/results-fixture.js';

let t: TestApp;

function binary(res: unknown, callback: (err: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function workbook(): Promise<ExcelJS.Workbook> {
  const { agent } = await t.signedIn('viewer');
  const res = await agent.get(`/admin/contests/${SLUG}/publication/results.xlsx`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(res.headers['content-disposition']).toContain('filename*=UTF-8');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(res.body as Buffer).buffer as ArrayBuffer as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

/** Every cell of a sheet as text rows. */
function rows(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => cells.push(cell.text));
    out.push(cells);
  });
  return out;
}

beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

describe('the results workbook', () => {
  it('holds the expected sheets: rankings overall and per track, judge detail, record, awards, signatures', async () => {
    await seed(t);
    const wb = await workbook();
    expect(wb.worksheets.map((ws) => ws.name)).toEqual([
      '总排名',
      '赛道-AI+医疗健康',
      '赛道-创新药品',
      '评委明细',
      '评分记录',
      '获奖名单',
      '签字页',
    ]);
    const overall = rows(wb.getWorksheet('总排名')!);
    const header = overall.findIndex((r) => r[0] === '排名');
    expect(overall[header]!.slice(0, 7)).toEqual(['排名', '参赛排名', '项目编号', '项目名称', '单位', '赛道', '得分']);
    expect(overall.slice(header + 1).map((r) => [r[2], r[6]])).toEqual([
      [P(1), '30.63'],
      [P(2), '30'],
      [P(3), '29.67'],
      [P(4), '29'],
    ]);
    expect(overall[header + 1]![3]).toBe(TITLE);
    const drug = rows(wb.getWorksheet('赛道-创新药品')!);
    expect(drug.filter((r) => r[2]?.startsWith('RS-')).map((r) => r[2])).toEqual([P(4)]);

    const awards = rows(wb.getWorksheet('获奖名单')!);
    const awarded = awards.filter((r) => r[3]?.startsWith('RS-')).map((r) => [r[0], r[3], r[8]]);
    expect(awarded).toEqual([
      ['一等奖', P(1), '有效'],
      ['一等奖', P(4), '有效'],
      ['二等奖', P(2), '有效'],
    ]);
    expect(awards.flat().join(' ')).toMatch(/[A-Z]+-2024-\d{3}/);
  });

  it('flags every dropped mark in the per-judge detail with a fill colour and a "去掉" note', async () => {
    await seed(t);
    const ws = (await workbook()).getWorksheet('评委明细')!;
    let header = 0;
    ws.eachRow((row, n) => {
      if (!header && row.getCell(1).text === '项目编号') header = n;
    });
    const headerRow = ws.getRow(header);
    const judgeColumn = (name: string) => {
      let col = 0;
      headerRow.eachCell((cell, c) => {
        if (cell.text.startsWith(name)) col = c;
      });
      return col;
    };
    expect(headerRow.getCell(judgeColumn('评委1')).text).toBe('评委1（组长）');
    let p2 = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).text === P(2)) p2 = n;
    });
    const cell = (judge: string) => ws.getRow(p2).getCell(judgeColumn(judge));
    // P2: totals 33 (j1), 15 (j2), 30, 31, 29 → 15 dropped low, 33 dropped high.
    const low = cell('评委2');
    expect(low.value).toBe(15);
    expect(String(low.note)).toContain('去掉');
    expect(String(low.note)).toContain('最低分');
    expect((low.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFDDEBF7');
    const high = cell('评委1');
    expect(high.value).toBe(33);
    expect(String(high.note)).toContain('最高分');
    expect((high.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFCE4D6');
    const kept = cell('评委3');
    expect(kept.value).toBe(30);
    expect(kept.note).toBeUndefined();
    // P1 had 4 judges (j2 recused): no trim, nothing dropped, the recusal shown.
    let p1 = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).text === P(1)) p1 = n;
    });
    expect(ws.getRow(p1).getCell(judgeColumn('评委2')).text).toBe('回避');
    const notes: string[] = [];
    ws.getRow(p1).eachCell((c) => {
      if (c.note) notes.push(String(c.note));
    });
    expect(notes).toEqual([]);

    const record = rows((await workbook()).getWorksheet('评分记录')!);
    const dropped = record.filter((r) => r.at(-1)?.startsWith('去掉（')).map((r) => [r[0], r[1], r.at(-1)]);
    expect(dropped).toEqual([
      ['评委1', P(2), '去掉（最高分）'],
      ['评委1', P(3), '去掉（最低分）'],
      ['评委2', P(2), '去掉（最低分）'],
      ['评委3', P(4), '去掉（最高分）'],
      ['评委4', P(3), '去掉（最高分）'],
      ['评委5', P(4), '去掉（最低分）'],
    ]);
  });

  it('has a signature block for every judge and the head judge', async () => {
    await seed(t);
    const sig = rows((await workbook()).getWorksheet('签字页')!);
    const roles = sig.filter((r) => r[0] === '评委' || r[0] === '评委组长').map((r) => `${r[0]}:${r[1]}`);
    expect(roles).toEqual(['评委:评委2', '评委:评委3', '评委:评委4', '评委:评委5', '评委组长:评委1']);
    expect(sig.filter((r) => r[0] === '签字' && r[2] === '日期')).toHaveLength(6); // + the supervisor block
    expect(sig.flat().join('')).toContain('评分结果确认签字页');
  });

  it('exports the live results with an awards preview before locking', async () => {
    await seed(t, false);
    const awards = rows((await workbook()).getWorksheet('获奖名单')!);
    expect(awards[0]![0]).toContain('预览');
    expect(awards.filter((r) => r[3]?.startsWith('RS-'))).toHaveLength(3);
  });
});

describe('the ranking CSV', () => {
  it('is UTF-8 with a BOM and Chinese headers', async () => {
    await seed(t);
    const { agent } = await t.signedIn('viewer');
    const res = await agent.get(`/admin/contests/${SLUG}/publication/ranking.csv`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('排名,参赛排名,项目编号,项目名称,单位,赛道,得分,精确值,有效评委,打星,并列');
    expect(lines[1]).toBe(`1,1,${P(1)},${TITLE},${INSTITUTION},AI+医疗健康,30.63,245/8,4/4,,`);
    expect(lines[4]).toBe(`4,4,${P(4)},项目4,医院4,创新药品,29.00,29,5/5,,`);
  });
});
