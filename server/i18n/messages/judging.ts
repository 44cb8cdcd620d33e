/** Live judging: score refusals, mark problems, judge links. */
import type { MessageSet } from '../catalog.js';

export const judging = {
  'error.round-closed': { zh: '本项目的评分已关闭', en: 'Scoring for this project is closed' },
  'error.not-assigned': { zh: '您未被分配评审此项目', en: 'You are not assigned to this project' },
  'error.recused': { zh: '您已回避此项目，不能评分', en: 'You are recused from this project' },
  'error.not-your-sheet': { zh: '只能提交您本人的评分表', en: 'You can only submit your own score sheet' },
  'error.score-out-of-range': {
    zh: '评分有误，请检查标红的评分项',
    en: 'Some marks are invalid; check the highlighted criteria',
  },
  'error.submission-id-reused': {
    zh: '提交编号已被另一份不同的评分使用',
    en: 'This submission id was already used for a different score',
  },
  'error.judge-link-invalid': { zh: '评委链接无效或已撤销', en: 'This judge link is invalid or revoked' },
  'error.not-judge': { zh: '请使用评委专属链接进入', en: 'Please open your personal judge link' },
  'error.stage-conflict': {
    zh: '现场状态已变化，请刷新后重试',
    en: 'The stage changed meanwhile; refresh and try again',
  },
  'validation.missing': { zh: '未评分', en: 'Not scored' },
  'validation.out-of-range': { zh: '分值超出该评分项的范围', en: 'Outside the range of this criterion' },
  'validation.off-step': { zh: '分值不符合该评分项的步长', en: 'Not on the step of this criterion' },
  'validation.unknown-criterion': { zh: '不存在的评分项', en: 'No such criterion' },
  'validation.invalid-submission-id': { zh: '提交编号格式不正确', en: 'Invalid submission id' },
  'judge.link.invalidTitle': { zh: '评委链接无效', en: 'This judge link does not work' },
  'judge.link.invalidBody': {
    zh: '该链接不存在或已被撤销。请联系现场工作人员获取新的评委二维码。',
    en: 'The link is unknown or has been revoked. Please ask the organizers for a new judge QR code.',
  },
} satisfies MessageSet;
