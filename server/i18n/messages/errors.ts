/** Stable error codes (kebab-case) with their messages; http/middleware/errors.ts maps codes to statuses. */
import type { MessageSet } from '../catalog.js';

export const errors = {
  'error.validation-failed': { zh: '提交的数据有误', en: 'The submitted data is invalid' },
  'error.not-found': { zh: '未找到请求的内容', en: 'Not found' },
  'error.contest-not-found': { zh: '赛事不存在', en: 'Contest not found' },
  'error.slug-taken': { zh: '赛事标识“{slug}”已被使用', en: 'The contest slug “{slug}” is already in use' },
  'error.key-taken': { zh: '标识“{key}”已被使用', en: 'The key “{key}” is already in use' },
  'error.unauthenticated': { zh: '请先登录', en: 'Please log in' },
  'error.forbidden': { zh: '您的角色无权执行此操作', en: 'Your role does not allow this' },
  'error.csrf-invalid': {
    zh: '表单已过期或来源不可信，请刷新页面后重试',
    en: 'The form expired or came from an untrusted site. Reload the page and try again',
  },
  'error.cross-site': { zh: '拒绝跨站请求', en: 'Cross-site request refused' },
  'error.invalid-credentials': { zh: '邮箱或密码不正确', en: 'Wrong email or password' },
  'error.rate-limited': { zh: '请求过于频繁，请稍后再试', en: 'Too many requests. Please try again later' },
  'error.invalid-token': { zh: '访问令牌无效或已撤销', en: 'The access token is invalid or revoked' },
  'error.in-use': { zh: '“{name}”仍被使用，无法删除', en: '“{name}” is still in use and cannot be deleted' },
  'error.invalid-json': { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  'error.payload-too-large': { zh: '请求体过大', en: 'The request body is too large' },
  'error.internal': {
    zh: '服务器内部错误，已记录。请稍后重试',
    en: 'Internal server error. It has been logged; please try again',
  },
  'error.last-owner': { zh: '不能移除最后一位所有者', en: 'The last owner cannot be removed' },
} satisfies MessageSet;
