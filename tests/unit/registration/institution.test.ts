import { describe, expect, it } from 'vitest';
import {
  findAutoConflicts,
  institutionKeys,
  normalizeInstitution,
  sameInstitution,
  type ConflictJudge,
  type ConflictProject,
} from '../../../server/domain/registration/index.js';

describe('normalizeInstitution', () => {
  it.each([
    ['首都医科大学附属北京友谊医院', '首都医科大学附属北京友谊医院'],
    ['  首都医科大学附属 北京友谊医院\u3000', '首都医科大学附属北京友谊医院'],
    ['首都医科大学附属北京友谊医院（通州院区）', '首都医科大学附属北京友谊医院'],
    ['北京ＸＸ医疗科技股份有限公司（筹）', '北京xx医疗科技'],
    ['北京XX医疗科技有限责任公司', '北京xx医疗科技'],
    ['XX控股集团股份有限公司', 'xx控股'],
    ['XX集团公司', 'xx'],
    ['某某科技【北京】有限公司', '某某科技'],
    ['某某科技[北京]有限公司', '某某科技'],
    ['北京大学(医学部', '北京大学'],
    ['北京大学)', '北京大学'],
    ['Roche Diagnostics (Shanghai) Co., Ltd.', 'rochediagnostics'],
    ['ＡＢＣ Ｍｅｄｉｃａｌ Ｉｎｃ．', 'abcmedical'],
    ['Peking University Third Hospital', 'pekinguniversitythirdhospital'],
    ['北京大学第一医院', '北京大学第一医院'],
    ['有限公司', '有限公司'],
    ['Co', 'co'],
    ['（筹）', ''],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizeInstitution(input)).toBe(expected);
  });

  it('splits several affiliations in one field', () => {
    expect(institutionKeys('北京大学；北京大学第一医院 / 北京大学')).toEqual(['北京大学', '北京大学第一医院']);
    expect(institutionKeys('北京大学（医学部/口腔）')).toEqual(['北京大学']);
    expect(institutionKeys(' ; ')).toEqual([]);
  });
});

describe('sameInstitution', () => {
  it.each([
    ['首都医科大学附属北京友谊医院', '首都医科大学附属北京友谊医院 '],
    ['首都医科大学附属北京友谊医院', '首都医科大学附属北京友谊医院（通州院区）'],
    ['首都医科大学附属北京友谊医院 ', '首都医科大学附属北京友谊医院(通州院区)'],
    ['北京XX医疗科技有限公司', '北京XX医疗科技股份有限公司'],
    ['北京XX医疗科技有限公司', '北京ＸＸ医疗科技（集团）有限公司'],
    ['ABC Medical Co., Ltd.', 'abc medical inc'],
    ['北京大学；清华大学', '清华大学'],
    ['Peking University', 'PEKING  UNIVERSITY'],
  ])('%s ≡ %s', (a, b) => {
    expect(sameInstitution(a, b)).toBe(true);
    expect(sameInstitution(b, a)).toBe(true);
  });

  it.each([
    ['北京大学', '北京大学第一医院'],
    ['北京大学', '北京大学医学部'],
    ['首都医科大学', '首都医科大学附属北京友谊医院'],
    ['北京大学口腔医院', '北京大学口腔医学院'],
    ['北京友谊医院', '北京友谊'],
    ['清华大学', '北京大学'],
    ['北京XX医疗科技有限公司', '上海XX医疗科技有限公司'],
    ['', ''],
    ['（筹）', '（筹）'],
    ['Peking University', 'Peking University Hospital'],
  ])('%s ≢ %s', (a, b) => {
    expect(sameInstitution(a, b)).toBe(false);
    expect(sameInstitution(b, a)).toBe(false);
  });
});

describe('findAutoConflicts', () => {
  const judge = (key: string, institution: string, phone = '', email = ''): ConflictJudge => ({
    key,
    institution,
    phone,
    email,
  });
  const project = (ref: string, institution: string, phone = '', email = ''): ConflictProject => ({
    ref,
    institution,
    leader: { phone, email },
  });

  it('pairs judges and projects of the same institution, with the strongest reason', () => {
    const judges = [
      judge('wang', '首都医科大学附属北京友谊医院'),
      judge('li', '北京大学', '+86 138 0013 8000'),
      judge('zhao', '某投资基金', '', 'Zhao@Fund.example'),
      judge('qian', ''),
    ];
    const projects = [
      project('P1', '首都医科大学附属北京友谊医院（通州院区）'),
      project('P2', '北京大学第一医院', '13800138000'),
      project('P3', '北京大学（医学部）'),
      project('P4', '北京XX医疗科技有限公司', '', 'zhao@fund.example'),
      project('P5', '北京大学', '13800138000'),
    ];
    expect(findAutoConflicts(judges, projects)).toEqual([
      { judgeKey: 'wang', projectRef: 'P1', source: 'auto', reason: 'same-institution' },
      { judgeKey: 'li', projectRef: 'P2', source: 'auto', reason: 'same-phone' },
      { judgeKey: 'li', projectRef: 'P3', source: 'auto', reason: 'same-institution' },
      { judgeKey: 'li', projectRef: 'P5', source: 'auto', reason: 'same-phone' },
      { judgeKey: 'zhao', projectRef: 'P4', source: 'auto', reason: 'same-email' },
    ]);
  });

  it('never matches on empty institutions, phones or e-mails', () => {
    expect(findAutoConflicts([judge('a', '', '', '')], [project('P1', '（筹）', '', '')])).toEqual([]);
  });

  it('returns nothing for empty inputs', () => {
    expect(findAutoConflicts([], [project('P1', '北京大学')])).toEqual([]);
    expect(findAutoConflicts([judge('a', '北京大学')], [])).toEqual([]);
  });
});
