/** Public registration: the team's form, the confirmation, the private status page and their errors. */
import type { MessageSet } from '../catalog.js';

export const registration = {
  'registration.title': { zh: '项目报名', en: 'Project registration' },
  'registration.intro': {
    zh: '提交后立即获得报名编号和专属查询链接；报名截止前可凭链接修改。带 * 的为必填项。',
    en: 'You get a reference number and a private status link right away, and can edit through the link until registration closes. Fields marked * are required.',
  },
  'registration.closesAt': { zh: '报名截止：{time}', en: 'Registration closes {time}' },
  'registration.section.project': { zh: '项目信息', en: 'Project' },
  'registration.section.leader': { zh: '项目负责人', en: 'Project leader' },
  'registration.section.team': { zh: '团队与简介', en: 'Team and summary' },
  'registration.section.deck': { zh: '路演材料', en: 'Pitch deck' },
  'registration.field.trackKey.choose': { zh: '请选择赛道', en: 'Choose a track' },
  'registration.field.stage.choose': { zh: '请选择发展阶段', en: 'Choose a stage' },
  'registration.field.leader.name': { zh: '负责人姓名', en: 'Leader’s name' },
  'registration.field.leader.phone.hint': {
    zh: '中国大陆手机号，如 138 0013 8000',
    en: 'Mainland China mobile, e.g. 138 0013 8000',
  },
  'registration.field.summary.hint': { zh: '不超过 {max} 字', en: 'At most {max} characters' },
  'registration.counter': { zh: '已输入 {count} / {max} 字', en: '{count} / {max} characters' },
  'registration.counter.over': {
    zh: '已输入 {count} 字，超出 {over} 字',
    en: '{count} characters, {over} over the limit',
  },
  'registration.field.deck': { zh: '路演 PDF', en: 'Pitch deck (PDF)' },
  'registration.field.deck.hint': {
    zh: '选填。仅限 PDF 文件，不超过 {max} MB；仅主办方可见，不会公开。',
    en: 'Optional. PDF only, at most {max} MB; seen by the organizers only, never published.',
  },
  'registration.field.deck.current': {
    zh: '已上传：{name}（{size}）。选择新文件将替换它。',
    en: 'Uploaded: {name} ({size}). Choosing a new file replaces it.',
  },
  'registration.field.deck.again': {
    zh: '出于安全原因，浏览器不会保留已选的文件，请重新选择。',
    en: 'For security, browsers do not keep a chosen file: please choose it again.',
  },
  'registration.field.deck.tooLargeClient': {
    zh: '文件超过 {max} MB，请压缩后再上传。',
    en: 'The file is larger than {max} MB; please compress it first.',
  },
  'registration.field.deck.notPdfClient': { zh: '请选择 PDF 文件。', en: 'Please choose a PDF file.' },
  'registration.field.consent': {
    zh: '我确认以上信息真实有效，并同意主办方将其用于本次赛事的组织、评审与成果对接。',
    en: 'I confirm the information is true and agree that the organizers use it to run, judge and follow up this contest.',
  },
  'registration.field.consent.short': { zh: '确认与同意', en: 'Consent' },
  'registration.submit': { zh: '提交报名', en: 'Submit registration' },
  'registration.submitting': { zh: '正在提交…', en: 'Submitting…' },
  'registration.save': { zh: '保存修改', en: 'Save changes' },
  'registration.edit.title': { zh: '修改报名信息', en: 'Edit registration' },
  'registration.closed.title': { zh: '报名未开放', en: 'Registration is not open' },
  'registration.closed.body': {
    zh: '“{contest}”目前不接受报名（尚未开始或已经截止）。已报名的团队可以通过专属链接查看审核状态。如有疑问，请联系主办方。',
    en: '“{contest}” is not taking registrations (not started yet or closed). Teams already registered can check their status through their private link. Please contact the organizers with any questions.',
  },
  'registration.done.title': { zh: '报名成功', en: 'Registration received' },
  'registration.done.lead': { zh: '您的报名编号', en: 'Your reference number' },
  'registration.done.keep': {
    zh: '请立即收藏或复制下面的专属链接：凭它查看审核结果，并在报名截止前修改报名信息。链接等同于密码，请勿公开。',
    en: 'Bookmark or copy this private link now: it shows your review result and lets you edit until registration closes. Treat it like a password.',
  },
  'registration.status.title': { zh: '报名状态', en: 'Registration status' },
  'registration.status.ref': { zh: '报名编号', en: 'Reference' },
  'registration.status.link': { zh: '专属链接', en: 'Private link' },
  'registration.status.state': { zh: '审核状态', en: 'Review status' },
  'registration.status.submittedAt': { zh: '提交时间', en: 'Submitted' },
  'registration.status.updatedAt': { zh: '最近修改', en: 'Last edited' },
  'registration.status.explain.submitted': {
    zh: '报名已提交，等待主办方审核。',
    en: 'Submitted and waiting for the organizers’ review.',
  },
  'registration.status.explain.returned': {
    zh: '主办方退回了报名，请按意见修改后重新提交。',
    en: 'The organizers returned your registration: please change it as asked and submit again.',
  },
  'registration.status.explain.approved': {
    zh: '审核通过。请留意主办方关于路演安排的通知。',
    en: 'Approved. Watch for the organizers’ notice about the roadshow schedule.',
  },
  'registration.status.explain.rejected': {
    zh: '很遗憾，报名未通过审核。',
    en: 'We are sorry: the registration was not accepted.',
  },
  'registration.status.explain.withdrawn': { zh: '报名已撤回。', en: 'The registration was withdrawn.' },
  'registration.status.reason': { zh: '主办方意见', en: 'Organizers’ note' },
  'registration.status.details': { zh: '报名信息', en: 'Your registration' },
  'registration.status.members': { zh: '团队成员', en: 'Team members' },
  'registration.status.deck': { zh: '路演材料', en: 'Pitch deck' },
  'registration.status.noDeck': { zh: '未上传', en: 'None uploaded' },
  'registration.status.edit': { zh: '修改报名信息', en: 'Edit registration' },
  'registration.status.editUntil': {
    zh: '报名截止前均可修改（截止：{time}）。',
    en: 'You can edit until registration closes ({time}).',
  },
  'registration.status.editOpen': {
    zh: '报名截止前均可修改。',
    en: 'You can edit until registration closes.',
  },
  'registration.status.closed': {
    zh: '报名已截止，信息不能再修改。',
    en: 'Registration has closed: the entry can no longer be edited.',
  },
  'registration.status.decided': {
    zh: '审核已有结果，信息不能再修改；如需更正请联系主办方。',
    en: 'The review is decided, so the entry can no longer be edited; contact the organizers for corrections.',
  },
  'registration.flash.received': { zh: '报名成功', en: 'Registration received' },
  'registration.flash.saved': { zh: '修改已保存', en: 'Changes saved' },
  'registration.duplicate.title-and-institution': {
    zh: '疑似重复报名：本赛事已有同一申报单位、同名项目的报名（规则：项目名称与申报单位均相同）。如是本团队此前的报名，请通过当时获得的专属链接修改；如确为不同项目，请联系主办方。',
    en: 'Likely a duplicate: this contest already has a registration with the same title from the same institution (rule: same title and institution). If it is your team’s, edit it through its private link; if it is a different project, contact the organizers.',
  },
  'registration.duplicate.leader-phone': {
    zh: '疑似重复报名：该负责人手机号已用于本赛事的另一项报名（规则：负责人手机号相同）。如是本团队此前的报名，请通过当时获得的专属链接修改；如确为不同项目，请联系主办方。',
    en: 'Likely a duplicate: this leader’s mobile number is already on another registration of this contest (rule: same leader phone). If it is your team’s, edit it through its private link; if it is a different project, contact the organizers.',
  },
  'registration.duplicate.leader-email': {
    zh: '疑似重复报名：该负责人邮箱已用于本赛事的另一项报名（规则：负责人邮箱相同）。如是本团队此前的报名，请通过当时获得的专属链接修改；如确为不同项目，请联系主办方。',
    en: 'Likely a duplicate: this leader’s email is already on another registration of this contest (rule: same leader email). If it is your team’s, edit it through its private link; if it is a different project, contact the organizers.',
  },

  'error.registration-closed': { zh: '报名未开放或已截止', en: 'Registration is not open' },
  'error.registration-decided': {
    zh: '报名“{ref}”的审核已有结果，不能再修改',
    en: 'Registration “{ref}” has been decided and can no longer be edited',
  },
  'error.likely-duplicate': {
    zh: '疑似重复报名（规则：{rule}）',
    en: 'Likely a duplicate registration (rule: {rule})',
  },
  'error.deck-too-large': { zh: '文件超过 {max} MB 的上限', en: 'The file is larger than the {max} MB limit' },
  'error.status-link-invalid': {
    zh: '链接无效。请检查链接是否完整复制。',
    en: 'This link is not valid. Check that it was copied completely.',
  },

  'validation.deck-not-pdf': { zh: '只接受 PDF 文件', en: 'Only PDF files are accepted' },
  'validation.deck-too-large': { zh: '文件不能超过 {max} MB', en: 'At most {max} MB' },
  'validation.consent-required': { zh: '请勾选确认后再提交', en: 'Please tick to confirm' },
  'validation.duplicate-title-and-institution': {
    zh: '与已有报名的项目名称和申报单位相同',
    en: 'Same title and institution as an existing registration',
  },
  'validation.duplicate-leader-phone': {
    zh: '该手机号已用于另一项报名',
    en: 'This number is already on another registration',
  },
  'validation.duplicate-leader-email': {
    zh: '该邮箱已用于另一项报名',
    en: 'This email is already on another registration',
  },
} satisfies MessageSet;
