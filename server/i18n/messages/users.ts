/** Organizer console: the users page (owner only), beyond the shared user strings in admin.ts. */
import type { MessageSet } from '../catalog.js';

export const users = {
  'users.intro': {
    zh: '所有者管理主办方账号。新用户使用一次性密码登录，首次登录时须设置新密码。',
    en: 'Owners manage organizer accounts. New users sign in with a one-time password and choose their own at first sign-in.',
  },
  'users.count': { zh: '共 {count} 个用户', en: '{count} user(s)' },
  'users.you': { zh: '（我）', en: '(you)' },
  'users.never': { zh: '从未登录', en: 'Never' },
  'users.create': { zh: '创建用户', en: 'Create user' },
  'users.oneTime.title': { zh: '一次性密码', en: 'One-time password' },
  'users.oneTime.help': {
    zh: '请当面或通过安全渠道交给对方。离开本页后将无法再次查看。',
    en: 'Hand it over in person or through a safe channel. It will not be shown again after you leave this page.',
  },
  'users.roles': { zh: '角色说明', en: 'Roles' },
  'users.confirmReset': {
    zh: '为 {email} 生成新的一次性密码？旧密码将立即失效。',
    en: 'Create a new one-time password for {email}? The old password stops working at once.',
  },
  'users.confirmDisable': {
    zh: '停用 {email}？该用户将无法登录。',
    en: 'Disable {email}? They will no longer be able to sign in.',
  },
} satisfies MessageSet;
