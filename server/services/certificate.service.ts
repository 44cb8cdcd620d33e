/**
 * Award certificates (荣誉证书): one A4 landscape page per locked, non-revoked award, drawn with
 * pdfkit and the embedded (subset) Noto Sans SC font so Chinese renders in any PDF viewer.
 * A contest's certificates come as one PDF with one page per award, generated in a single
 * document. Each page carries the certificate number and a QR code to the public verification
 * page `${PUBLIC_URL}/verify/:verifyCode`, which `verify()` answers.
 *
 * Reads locked results only (results service); never writes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Db } from '../../db/database.js';
import { awardByVerifyCode } from '../data/appeal.repo.js';
import { AppError } from '../errors.js';
import type { AwardsService } from './awards.service.js';
import type { ContestService } from './contest.service.js';
import type { LockedAward, LockedResults, LocalizedText } from './results.types.js';

/** Everything one certificate page shows. */
export interface CertificateData {
  contestName: string;
  organizer: string;
  projectTitle: string;
  institution: string;
  leaderName: string;
  members: readonly string[];
  awardName: string;
  /** The track of a track-scoped award (shown above the award name), else null. */
  trackName: string | null;
  /** ISO timestamp the award was made (shown as a date in China time). */
  awardedAt: string;
  certificateNo: string;
  verifyCode: string;
  verifyUrl: string;
}

/** What the public verification page shows for a valid certificate. */
export interface VerifiedCertificate {
  contestSlug: string;
  contestName: LocalizedText;
  projectTitle: string;
  institution: string;
  awardName: LocalizedText;
  trackName: LocalizedText | null;
  certificateNo: string;
  awardedAt: string;
  /** Whether the contest's results are published (公示). */
  published: boolean;
}

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
const fontCache = new Map<keyof typeof FONT_FILES, Buffer>();

function font(kind: keyof typeof FONT_FILES): Buffer {
  let buffer = fontCache.get(kind);
  if (!buffer) {
    buffer = fs.readFileSync(require.resolve(FONT_FILES[kind]));
    fontCache.set(kind, buffer);
  }
  return buffer;
}

/** 2024-11-23T06:00:00Z → "2024年11月23日" (China time, where the contests run). */
export function chineseDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

/** The certificate page of one award (Chinese names: certificates are Chinese documents). */
export function certificateData(
  locked: Pick<LockedResults, 'snapshot'>,
  award: LockedAward,
  organizer: string,
  publicUrl: string,
): CertificateData {
  return {
    contestName: locked.snapshot.results.contest.name.zh,
    organizer,
    projectTitle: award.title,
    institution: award.institution,
    leaderName: award.leaderName,
    members: award.members.map((m) => m.name).filter((name) => name !== award.leaderName),
    awardName: award.tierName.zh,
    trackName: award.scope === 'track' && award.trackName ? award.trackName.zh : null,
    awardedAt: award.createdAt,
    certificateNo: award.certificateNo,
    verifyCode: award.verifyCode,
    verifyUrl: `${publicUrl}/verify/${encodeURIComponent(award.verifyCode)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing

const INK = '#1f2430';
const MUTED = '#5d6472';
const RED = '#9b2226';
const GOLD = '#b08d57';
const PAPER = '#fbf8f1';

type Doc = PDFKit.PDFDocument;

/** The largest size in [min, max] at which `text` fits in `lines` lines of `width`. */
function fitSize(doc: Doc, text: string, fontName: string, max: number, min: number, width: number, lines: number) {
  for (let size = max; size > min; size -= 0.5) {
    doc.font(fontName).fontSize(size);
    if (doc.heightOfString(text, { width }) <= doc.currentLineHeight(true) * lines + 0.5) return size;
  }
  return min;
}

function centered(
  doc: Doc,
  text: string,
  y: number,
  opts: { font: string; size: number; color: string; width: number; x: number; spacing?: number },
) {
  doc.font(opts.font).fontSize(opts.size).fillColor(opts.color);
  doc.text(text, opts.x, y, { width: opts.width, align: 'center', characterSpacing: opts.spacing ?? 0, lineGap: 0 });
  return doc.y;
}

function drawQr(doc: Doc, url: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  doc.save();
  doc.rect(x - 4, y - 4, size + 8, size + 8).fill('#ffffff');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c)) doc.rect(x + c * cell, y + r * cell, cell + 0.02, cell + 0.02);
  doc.fill(INK);
  doc.restore();
}

function drawFrame(doc: Doc, w: number, h: number): void {
  doc.rect(0, 0, w, h).fill(PAPER);
  doc
    .lineWidth(5)
    .strokeColor(RED)
    .rect(20, 20, w - 40, h - 40)
    .stroke();
  doc
    .lineWidth(0.8)
    .strokeColor(GOLD)
    .rect(32, 32, w - 64, h - 64)
    .stroke();
  // Gold corner brackets inside the inner frame.
  const k = 26;
  const inset = 40;
  doc.lineWidth(1.6).strokeColor(GOLD);
  for (const [cx, cy, dx, dy] of [
    [inset, inset, 1, 1],
    [w - inset, inset, -1, 1],
    [inset, h - inset, 1, -1],
    [w - inset, h - inset, -1, -1],
  ] as const) {
    doc
      .moveTo(cx, cy + dy * k)
      .lineTo(cx, cy)
      .lineTo(cx + dx * k, cy)
      .stroke();
    doc.rect(cx + dx * 5 - 2, cy + dy * 5 - 2, 4, 4).fill(GOLD);
  }
}

/** A short gold rule with a diamond in the middle. */
function ornament(doc: Doc, cx: number, y: number, half: number): void {
  doc.lineWidth(0.8).strokeColor(GOLD);
  doc
    .moveTo(cx - half, y)
    .lineTo(cx - 8, y)
    .stroke();
  doc
    .moveTo(cx + 8, y)
    .lineTo(cx + half, y)
    .stroke();
  doc.save();
  doc
    .moveTo(cx, y - 4)
    .lineTo(cx + 4, y)
    .lineTo(cx, y + 4)
    .lineTo(cx - 4, y)
    .closePath()
    .fill(GOLD);
  doc.restore();
}

/** "项目负责人：… 团队成员：…" on one line; a long team list ends with "等 N 人" rather than wrapping mid-name. */
function teamLine(doc: Doc, c: CertificateData, width: number): { text: string; size: number } {
  const compose = (shown: readonly string[]) => {
    const rest = c.members.length - shown.length;
    const members = shown.length ? `团队成员：${shown.join('、')}${rest > 0 ? ` 等 ${c.members.length} 人` : ''}` : '';
    return [`项目负责人：${c.leaderName}`, members].filter(Boolean).join('　　');
  };
  for (let n = c.members.length; n >= 0; n--) {
    const text = compose(c.members.slice(0, n));
    const size = fitSize(doc, text, 'regular', 11.5, 9, width, 1);
    doc.font('regular').fontSize(size);
    if (doc.widthOfString(text) <= width) return { text, size };
  }
  return { text: compose([]), size: 9 };
}

function drawCertificate(doc: Doc, c: CertificateData): void {
  const w = doc.page.width;
  const h = doc.page.height;
  drawFrame(doc, w, h);
  const x = 100;
  const width = w - 2 * x;
  const cx = w / 2;

  centered(doc, '荣誉证书', 62, { font: 'bold', size: 44, color: RED, width, x, spacing: 18 });
  centered(doc, 'CERTIFICATE OF HONOR', 124, { font: 'regular', size: 10.5, color: GOLD, width, x, spacing: 4 });
  ornament(doc, cx, 148, 90);

  // The project (up to two lines), its institution and team.
  let y = 166;
  const titleSize = fitSize(doc, c.projectTitle, 'bold', 24, 14, width, 2);
  y = centered(doc, c.projectTitle, y, { font: 'bold', size: titleSize, color: INK, width, x });
  y = centered(doc, c.institution, y + 2, { font: 'regular', size: 14, color: MUTED, width, x });
  const team = teamLine(doc, c, width);
  y = centered(doc, team.text, y + 4, { font: 'regular', size: team.size, color: MUTED, width, x });

  // The award.
  y = Math.max(y + 16, 268);
  const line = `在${c.contestName}中荣获`;
  const lineSize = fitSize(doc, line, 'regular', 15, 10, width, 2);
  y = centered(doc, line, y, { font: 'regular', size: lineSize, color: INK, width, x });
  if (c.trackName) y = centered(doc, `${c.trackName}赛道`, y + 6, { font: 'regular', size: 14, color: GOLD, width, x });
  const awardSize = fitSize(doc, c.awardName, 'bold', 38, 18, width, 1);
  y = centered(doc, c.awardName, y + 2, { font: 'bold', size: awardSize, color: RED, width, x, spacing: 6 });
  centered(doc, '特发此证，以资鼓励。', y + 6, { font: 'regular', size: 13, color: INK, width, x });

  // Footer: number and code (left), issuer and date (right of centre), QR (right).
  const qrSize = 74;
  const qrX = w - 78 - qrSize;
  const qrY = h - 72 - qrSize - 14;
  drawQr(doc, c.verifyUrl, qrX, qrY, qrSize);
  doc.font('regular').fontSize(7.5).fillColor(MUTED);
  doc.text('扫码验证真伪', qrX - 10, qrY + qrSize + 6, { width: qrSize + 20, align: 'center' });

  // Bottom lines align with the bottom of the QR code.
  const bottom = qrY + qrSize;
  doc.font('regular').fontSize(10).fillColor(INK);
  doc.text(`证书编号：${c.certificateNo}`, 78, bottom - 30, { width: 220 });
  doc.font('regular').fontSize(8.5).fillColor(MUTED);
  doc.text(`验证码：${c.verifyCode}`, 78, doc.y + 2, { width: 220 });

  // Issuer (up to two lines, shrunk to fit) above the date, right-aligned beside the QR code.
  const issuerWidth = 330;
  const issuerX = qrX - 26 - issuerWidth;
  doc.font('regular').fontSize(12);
  const dateY = bottom - doc.currentLineHeight(true);
  if (c.organizer) {
    const size = fitSize(doc, c.organizer, 'regular', 12, 8, issuerWidth, 2);
    doc.font('regular').fontSize(size).fillColor(INK);
    const height = doc.heightOfString(c.organizer, { width: issuerWidth, align: 'right' });
    doc.text(c.organizer, issuerX, dateY - 4 - height, { width: issuerWidth, align: 'right' });
  }
  doc.font('regular').fontSize(12).fillColor(INK);
  doc.text(chineseDate(c.awardedAt), issuerX, dateY, { width: issuerWidth, align: 'right' });

  doc.font('regular').fontSize(7.5).fillColor(MUTED);
  doc.text(`本证书真伪可扫描二维码或访问 ${c.verifyUrl} 查验`, x, h - 58, { width, align: 'center', lineBreak: false });
}

/**
 * Renders certificates into one PDF, one page per entry, in the given order.
 * @example await renderCertificates([data]) // a Buffer starting with "%PDF-"
 */
export function renderCertificates(list: readonly CertificateData[], title = '荣誉证书'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 0,
      autoFirstPage: false,
      info: { Title: title, Creator: 'Roadshow 路演评审系统', Producer: 'Roadshow' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('regular', font('regular'));
      doc.registerFont('bold', font('bold'));
      if (list.length === 0) {
        doc.addPage();
        doc.font('regular').fontSize(14).text('没有可颁发的证书 / No certificates', 60, 60);
      }
      for (const c of list) {
        doc.addPage();
        drawCertificate(doc, c);
      }
      doc.end();
    } catch (err) {
      reject(err);
    }
  });
}

/** A file name safe in a Content-Disposition header: ASCII fallback plus the UTF-8 name. */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

// ---------------------------------------------------------------------------------------------
// Service

export interface CertificateFile {
  /** Suggested file name (may contain Chinese). */
  fileName: string;
  /** ASCII-only fallback file name. */
  asciiName: string;
  pdf: Buffer;
  count: number;
}

export function createCertificateService(db: Db, contests: ContestService, awards: AwardsService, publicUrl: string) {
  /** Active awards of the contest's current locks, award round first, each with its lock. */
  async function activeAwards(slug: string) {
    const loaded = await contests.load(slug);
    const locks = await awards.currentLocks(loaded.id);
    const position = new Map(loaded.doc.rounds.map((r, i) => [r.key, i]));
    locks.sort((a, b) => (position.get(b.roundKey) ?? 0) - (position.get(a.roundKey) ?? 0));
    const list = locks.flatMap((lock) => lock.awards.filter((a) => !a.revokedAt).map((award) => ({ lock, award })));
    return { loaded, list };
  }

  return {
    /** Every active certificate of a contest in one PDF (one page each); 409 when nothing is locked. */
    async contestPdf(slug: string): Promise<CertificateFile> {
      const { loaded, list } = await activeAwards(slug);
      if (list.length === 0) throw new AppError('no-certificates');
      const data = list.map(({ lock, award }) => certificateData(lock, award, loaded.doc.organizer, publicUrl));
      const pdf = await renderCertificates(data, `${loaded.doc.name.zh} 荣誉证书`);
      return {
        fileName: `${loaded.doc.name.zh}-荣誉证书.pdf`,
        asciiName: `${loaded.doc.slug}-certificates.pdf`,
        pdf,
        count: data.length,
      };
    },

    /** One award's certificate; 404 for an unknown or revoked award. */
    async awardPdf(slug: string, awardId: number): Promise<CertificateFile> {
      const { loaded, list } = await activeAwards(slug);
      const found = list.find((x) => x.award.id === awardId);
      if (!found) throw new AppError('not-found');
      const data = certificateData(found.lock, found.award, loaded.doc.organizer, publicUrl);
      const pdf = await renderCertificates([data], `${data.projectTitle} ${data.awardName}`);
      return {
        fileName: `${found.award.certificateNo}-${found.award.title}-${found.award.tierName.zh}.pdf`,
        asciiName: `${found.award.certificateNo}.pdf`,
        pdf,
        count: 1,
      };
    },

    /** The public check behind /verify/:code: null unless the award exists and is not revoked. */
    async verify(code: string): Promise<VerifiedCertificate | null> {
      if (!/^[A-Z2-7]{8,40}$/.test(code)) return null;
      const row = await awardByVerifyCode(db, code);
      if (!row || row.revoked_at) return null;
      const loaded = await contests.load(row.slug);
      const lock = (await awards.currentLocks(loaded.id)).find((l) => l.lockId === row.result_lock_id);
      const award = lock?.awards.find((a) => a.id === row.id);
      if (!lock || !award || award.revokedAt) return null;
      return {
        contestSlug: loaded.doc.slug,
        contestName: loaded.doc.name,
        projectTitle: award.title,
        institution: award.institution,
        awardName: award.tierName,
        trackName: award.scope === 'track' ? award.trackName : null,
        certificateNo: award.certificateNo,
        awardedAt: award.createdAt,
        published: row.status === 'published',
      };
    },
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
