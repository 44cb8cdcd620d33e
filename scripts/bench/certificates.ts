/**
 * Bench: awards and certificates for 500 projects. Allocates the demo's prize tiers over 500
 * scored projects (domain allocateAwards), then renders one certificate per award into one PDF
 * with the embedded Noto Sans SC font (certificate.service renderCertificates). Baseline in the
 * same run: the same number of pages drawn by pdfkit with its built-in Helvetica and the same
 * number of text calls, so the ratio shows what Chinese font embedding and the QR codes cost.
 */
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { PrizeTier } from '../../server/domain/contest-document.js';
import { allocateAwards, awardTierFromDocument, fromUnits, type Rankable } from '../../server/domain/scoring/index.js';
import { renderCertificates, type CertificateData } from '../../server/services/certificate.service.js';
import type { BenchReport } from './index.js';

const PROJECTS = 500;
const TRACKS = ['devices', 'drugs', 'therapies', 'ai'];

function tiers() {
  const raw = [
    { key: 'first', name: { zh: '一等奖' }, scope: 'track', quotaKind: 'count', quota: 1, precedence: 1 },
    { key: 'second', name: { zh: '二等奖' }, scope: 'track', quotaKind: 'count', quota: 1, precedence: 2 },
    { key: 'third', name: { zh: '三等奖' }, scope: 'track', quotaKind: 'count', quota: 2, precedence: 3 },
    {
      key: 'excellence',
      name: { zh: '优秀奖' },
      scope: 'track',
      quotaKind: 'rest',
      quota: 0,
      minScore: 0,
      precedence: 4,
    },
  ];
  return raw.map((t) => awardTierFromDocument(PrizeTier.parse(t)));
}

function entries(): Rankable[] {
  return Array.from({ length: PROJECTS }, (_, i) => ({
    ref: `RS-2024-${String(i + 1).padStart(4, '0')}`,
    trackKey: TRACKS[i % TRACKS.length]!,
    outOfCompetition: i === 7,
    score: fromUnits(6000 + ((i * 7919) % 4000), 100),
    untrimmedMean: fromUnits(6000 + ((i * 104729) % 4000), 100),
    criterionMeans: {},
    judgeTotals: [],
  }));
}

function certificate(i: number, award: string): CertificateData {
  return {
    contestName: '2024 北京城市副中心创新医学转化大赛',
    organizer: '北京城市副中心管理委员会、通州区人民政府',
    projectTitle: `基于多模态影像的早期肺癌智能筛查系统 ${i + 1}`,
    institution: '首都医科大学附属北京友谊医院',
    leaderName: '张明远',
    members: ['李华', '王芳', '赵磊'],
    awardName: award,
    trackName: 'AI+医疗健康',
    awardedAt: '2024-06-01T08:00:00.000Z',
    certificateNo: `BSMD-2024-${String(i + 1).padStart(3, '0')}`,
    verifyCode: `CODE${String(i).padStart(12, '0')}`,
    verifyUrl: `http://127.0.0.1:3000/verify/CODE${String(i).padStart(12, '0')}`,
  };
}

function baselinePdf(pages: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 0, autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (let i = 0; i < pages; i++) {
      doc.addPage();
      doc.font('Helvetica-Bold').fontSize(40).text('CERTIFICATE OF HONOR', 80, 60);
      for (let line = 0; line < 10; line++)
        doc
          .font('Helvetica')
          .fontSize(14)
          .text(`Line ${line} of certificate ${i}`, 80, 140 + line * 24);
    }
    doc.end();
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export async function run(): Promise<BenchReport> {
  const list = entries();
  const allocation = await timed(async () =>
    allocateAwards({
      tiers: tiers(),
      entries: list,
      tieBreaks: [{ kind: 'untrimmed-mean' }],
      decimals: 2,
      tieAtCutoff: 'tie-break',
    }),
  );
  const awards = allocation.value.allocations;
  const names: Record<string, string> = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
  const certificates = awards.map((a, i) => certificate(i, names[a.tierKey] ?? a.tierKey));
  await renderCertificates(certificates.slice(0, 3)); // warm-up: font parsing
  const ours = await timed(() => renderCertificates(certificates));
  const floor = await timed(() => baselinePdf(certificates.length));
  return {
    title: `Awards and certificates for ${PROJECTS} projects`,
    rows: [
      { label: 'award allocation (500 projects, 4 tiers per track)', value: allocation.ms.toFixed(1), unit: 'ms' },
      { label: 'awards allocated', value: awards.length },
      { label: 'certificates, one merged PDF (Noto Sans SC + QR)', value: ours.ms.toFixed(0), unit: 'ms' },
      { label: 'per certificate', value: (ours.ms / Math.max(1, awards.length)).toFixed(2), unit: 'ms' },
      { label: 'PDF size', value: (ours.value.length / 1e6).toFixed(2), unit: 'MB' },
      { label: 'baseline: same pages, built-in Helvetica, no QR', value: floor.ms.toFixed(0), unit: 'ms' },
      { label: 'ratio certificates / baseline', value: (ours.ms / floor.ms).toFixed(2), unit: '×' },
    ],
    notes: [
      'Every project of the 500 receives at most one award (优秀奖 takes the rest above the minimum).',
      'The baseline is measured in the same run, so the ratio is robust to a noisy machine.',
    ],
  };
}
