/**
 * Certificates on a seeded contest with locked awards (3 awards over two tracks): one PDF per
 * award with the embedded Chinese font (pdftotext returns the project title and institution),
 * all certificates as one PDF with one page per award (pdfinfo), the QR link target, and the
 * public verification page (valid, unknown, revoked). Needs poppler-utils (pdftotext, pdfinfo).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { SLUG, P, TITLE, INSTITUTION, seed } from '../support/results-fixture.js';

let t: TestApp;
let dir: string;

/** Binary response bodies as Buffers. */
function binary(res: unknown, callback: (err: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function pdfPages(pdf: Buffer, name: string): number {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

beforeEach(async () => {
  t = await buildTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-certs-'));
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('certificates', () => {
  it('are not available before the awards are locked', async () => {
    await seed(t, false);
    const { agent } = await t.signedIn('viewer');
    const res = await agent.get(`/admin/contests/${SLUG}/publication/certificates.pdf`);
    expect(res.status).toBe(409);
  });

  it('one certificate per award: A4 landscape, Chinese title and institution extractable, number and QR link', async () => {
    await seed(t);
    const locked = (await t.services.awards.locked(SLUG))!;
    const award = locked.awards.find((a) => a.projectRef === P(1))!;
    expect(award.tierKey).toBe('first');
    const { agent } = await t.signedIn('viewer');
    const res = await agent
      .get(`/admin/contests/${SLUG}/publication/certificates/${award.id}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`${award.certificateNo}.pdf`);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf, 'one.pdf');
    for (const expected of [TITLE, INSTITUTION, '一等奖', '荣获', '张明远', '李晓华', award.certificateNo])
      expect(text).toContain(expected);
    expect(text.replace(/\s+/g, '')).toContain('2024北京城市副中心创新医学转化大赛');
    expect(text).toContain(`${t.config.publicUrl}/verify/${award.verifyCode}`);
    const info = execFileSync('pdfinfo', [path.join(dir, 'one.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const fonts = execFileSync('pdffonts', [path.join(dir, 'one.pdf')], { encoding: 'utf8' });
    expect(fonts).toContain('NotoSansSC');
  });

  it('all certificates of the contest come as one PDF with one page per award', async () => {
    await seed(t);
    const locked = (await t.services.awards.locked(SLUG))!;
    expect(locked.awards).toHaveLength(3);
    const { agent } = await t.signedIn('viewer');
    const res = await agent.get(`/admin/contests/${SLUG}/publication/certificates.pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const pdf = res.body as Buffer;
    expect(pdfPages(pdf, 'all.pdf')).toBe(3);
    const text = pdfText(pdf, 'all.pdf');
    for (const a of locked.awards) expect(text).toContain(a.certificateNo);
    expect(text).toContain('创新药品赛道');
  });

  it('anonymous visitors cannot download certificates', async () => {
    await seed(t);
    const res = await supertest(t.app).get(`/admin/contests/${SLUG}/publication/certificates.pdf`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/login/);
  });
});

describe('the verification page', () => {
  it('shows the award of a valid code, and a friendly 404 for unknown and revoked ones', async () => {
    const { actor } = await seed(t);
    const locked = (await t.services.awards.locked(SLUG))!;
    const award = locked.awards.find((a) => a.projectRef === P(1))!;
    const page = await supertest(t.app).get(`/verify/${award.verifyCode}`);
    expect(page.status).toBe(200);
    for (const text of [
      '证书有效',
      TITLE,
      INSTITUTION,
      '一等奖',
      award.certificateNo,
      '2024北京城市副中心创新医学转化大赛',
    ])
      expect(page.text).toContain(text);
    expect(page.text).not.toContain('13800138000');

    const unknown = await supertest(t.app).get('/verify/AAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('未找到该证书');
    expect((await supertest(t.app).get('/verify/not-a-code')).status).toBe(404);

    await t.services.awards.override(SLUG, actor, {
      action: 'remove',
      tierKey: 'first',
      projectRef: P(1),
      reason: '资格复核未通过',
    });
    const revoked = await supertest(t.app).get(`/verify/${award.verifyCode}`);
    expect(revoked.status).toBe(404);
    const { agent } = await t.signedIn('viewer');
    const all = await agent.get(`/admin/contests/${SLUG}/publication/certificates.pdf`).buffer(true).parse(binary);
    expect(pdfPages(all.body as Buffer, 'after.pdf')).toBe(2);
  });
});
