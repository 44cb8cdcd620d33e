/**
 * Publication of results (公示), appeals (申诉), certificates and exports: the public results
 * page, the appeal form and status page, certificate verification, and the organizer's
 * publication and appeals pages.
 */
import type { MessageSet } from '../catalog.js';

export const publication = {
  'publication.title': { zh: '公示与证书', en: 'Publication & certificates' },

  // Public results page.
  'publication.public.title': { zh: '成绩公示', en: 'Published results' },
  'publication.public.kicker': { zh: '成绩公示', en: 'Published results' },
  'publication.public.publishedAt': { zh: '公示时间：{at}', en: 'Published {at}' },
  'publication.public.appealUntil': {
    zh: '申诉截止：{at}（北京时间）',
    en: 'Appeals accepted until {at} (Beijing time)',
  },
  'publication.public.toAppeal': { zh: '提交申诉', en: 'File an appeal' },
  'publication.public.appealClosed': { zh: '申诉期已结束', en: 'The appeal period has ended' },
  'publication.public.nothing': { zh: '暂无公示结果。', en: 'No results are published yet.' },
  'publication.public.awardsOf': { zh: '{round} · 获奖名单', en: '{round} · Awards' },
  'publication.public.rankingOf': { zh: '{round} · 成绩排名', en: '{round} · Rankings' },
  'publication.public.lockedAt': { zh: '结果锁定于 {at}', en: 'Locked {at}' },
  'publication.public.method.trimmed': {
    zh: '评委 {judges} 人，去掉 {trim} 个最高分和 {trim} 个最低分后取平均，保留 {decimals} 位小数',
    en: '{judges} judges; {trim} highest and {trim} lowest marks dropped, the rest averaged, {decimals} decimals',
  },
  'publication.public.method.mean': {
    zh: '评委 {judges} 人，取平均分，保留 {decimals} 位小数',
    en: '{judges} judges; mean of the marks, {decimals} decimals',
  },
  'publication.public.count': { zh: '{count} 项', en: '{count}' },
  'publication.public.noAwards': { zh: '本轮没有颁发奖项。', en: 'No awards in this round.' },
  'publication.public.col.rank': { zh: '名次', en: 'Rank' },
  'publication.public.col.project': { zh: '项目', en: 'Project' },
  'publication.public.col.score': { zh: '得分', en: 'Score' },
  'publication.public.col.award': { zh: '奖项', en: 'Award' },
  'publication.public.star': { zh: '打星', en: 'Hors concours' },
  'publication.public.tied': { zh: '并列', en: 'tied' },
  'publication.public.decidedBy.score': { zh: '精确值更高', en: 'higher exact score' },
  'publication.public.decidedBy.untrimmed-mean': { zh: '同分：未去分平均分决胜', en: 'tie: untrimmed mean' },
  'publication.public.decidedBy.criterion': { zh: '同分：指定评分项决胜', en: 'tie: named criterion' },
  'publication.public.decidedBy.more-high-marks': { zh: '同分：高分多者决胜', en: 'tie: more high marks' },
  'publication.public.decidedBy.head-judge': { zh: '同分：评委组长裁定', en: 'tie: head judge’s decision' },
  'publication.public.privacy': {
    zh: '公示内容仅含项目最终得分与名次，不含评委个人评分与联系方式。',
    en: 'Only final scores and ranks are published: no individual judges’ marks and no contact details.',
  },

  // Appeal form.
  'publication.appeal.title': { zh: '申诉', en: 'Appeal' },
  'publication.appeal.intro': {
    zh: '对公示结果有异议，可在 {at}（北京时间）前提交申诉。提交后您将获得申诉编号和一个查询进度的专用链接。',
    en: 'If you dispute the published results, file an appeal before {at} (Beijing time). You will get a reference and a private link to follow it.',
  },
  'publication.appeal.name': { zh: '姓名', en: 'Name' },
  'publication.appeal.contact': { zh: '联系方式', en: 'Contact' },
  'publication.appeal.contactHint': {
    zh: '手机号或邮箱，仅用于回复申诉，不会公开。',
    en: 'Phone or email, only used to answer you; never published.',
  },
  'publication.appeal.project': { zh: '涉及项目', en: 'Project concerned' },
  'publication.appeal.projectNone': { zh: '不指定项目', en: 'No particular project' },
  'publication.appeal.body': { zh: '申诉内容', en: 'Your appeal' },
  'publication.appeal.bodyHint': {
    zh: '请写明事实与理由（最多 5000 字）。',
    en: 'State the facts and your reasons (at most 5000 characters).',
  },
  'publication.appeal.submit': { zh: '提交申诉', en: 'Submit the appeal' },
  'publication.appeal.closed': {
    zh: '申诉期已结束，不再受理新的申诉。',
    en: 'The appeal period has ended; no new appeals are accepted.',
  },
  'publication.appeal.status.open': { zh: '处理中', en: 'Under review' },
  'publication.appeal.status.upheld': { zh: '申诉成立', en: 'Upheld' },
  'publication.appeal.status.rejected': { zh: '申诉不成立', en: 'Rejected' },
  'publication.appeal.status.withdrawn': { zh: '已撤回', en: 'Withdrawn' },

  // Appellant's status page.
  'publication.appealStatus.title': { zh: '申诉', en: 'Appeal' },
  'publication.appealStatus.received': {
    zh: '申诉已收到，编号 {reference}。',
    en: 'Your appeal was received: reference {reference}.',
  },
  'publication.appealStatus.keepLink': {
    zh: '请保存本页链接，凭此链接查询处理结果（链接即凭证，请勿转发）：',
    en: 'Keep this page’s link to see the answer (the link is your key; do not share it):',
  },
  'publication.appealStatus.state': { zh: '状态', en: 'Status' },
  'publication.appealStatus.submittedAt': { zh: '提交时间', en: 'Submitted' },
  'publication.appealStatus.answer': { zh: '组委会答复', en: 'Answer from the organizers' },
  'publication.appealStatus.answeredAt': { zh: '答复时间：{at}', en: 'Answered {at}' },
  'publication.appealStatus.pending': {
    zh: '组委会尚未答复，请稍后再查看。',
    en: 'No answer yet. Please check again later.',
  },
  'publication.appealStatus.backToResults': { zh: '返回公示页面', en: 'Back to the published results' },

  // Certificate verification.
  'publication.verify.title': { zh: '证书验证', en: 'Certificate check' },
  'publication.verify.valid': { zh: '证书有效', en: 'Valid certificate' },
  'publication.verify.validHint': {
    zh: '以下信息与组委会记录一致。',
    en: 'These details match the organizers’ records.',
  },
  'publication.verify.contest': { zh: '赛事', en: 'Contest' },
  'publication.verify.project': { zh: '项目', en: 'Project' },
  'publication.verify.institution': { zh: '单位', en: 'Institution' },
  'publication.verify.award': { zh: '奖项', en: 'Award' },
  'publication.verify.number': { zh: '证书编号', en: 'Certificate no.' },
  'publication.verify.date': { zh: '颁发日期', en: 'Awarded on' },
  'publication.verify.seeResults': { zh: '查看成绩公示', en: 'See the published results' },
  'publication.verify.missingTitle': { zh: '未找到该证书', en: 'Certificate not found' },
  'publication.verify.missing': {
    zh: '该验证码没有对应的有效证书：证书可能不存在、已撤销，或链接输入有误。请核对证书上的二维码或联系主办方。',
    en: 'No valid certificate has this code: it may not exist, may have been revoked, or the link was mistyped. Check the QR code on the certificate or contact the organizers.',
  },
  'publication.verify.code': { zh: '验证码', en: 'Code' },

  // Organizer: publication page.
  'publication.admin.status': { zh: '公示状态', en: 'Publication' },
  'publication.admin.viewPublic': { zh: '查看公示页面', en: 'View the public page' },
  'publication.admin.publishedAt': { zh: '公示时间', en: 'Published' },
  'publication.admin.deadline': { zh: '申诉截止', en: 'Appeal deadline' },
  'publication.admin.deadlineHint': {
    zh: '北京时间。截止后公示页面不再接受申诉。',
    en: 'Beijing time. After it the public page accepts no more appeals.',
  },
  'publication.admin.appealsOpen': { zh: '受理中', en: 'open' },
  'publication.admin.appealsClosed': { zh: '已截止', en: 'closed' },
  'publication.admin.publicPage': { zh: '公示页面', en: 'Public page' },
  'publication.admin.changeDeadline': { zh: '修改截止时间', en: 'Change the deadline' },
  'publication.admin.unpublishReason': { zh: '撤回原因', en: 'Reason for withdrawing' },
  'publication.admin.unpublish': { zh: '撤回公示', en: 'Withdraw the publication' },
  'publication.admin.notPublished': {
    zh: '结果尚未公示，公众看不到成绩页面。',
    en: 'The results are not published: the public cannot see them.',
  },
  'publication.admin.publishHelp': {
    zh: '公示后，成绩页面对公众开放（仅最终得分与名次），并在截止前接受申诉。此操作记入审计账本。',
    en: 'Publishing opens the results page to the public (final scores and ranks only) and accepts appeals until the deadline. Recorded in the audit ledger.',
  },
  'publication.admin.publish': { zh: '发布公示', en: 'Publish the results' },
  'publication.admin.needsLock': {
    zh: '请先在“成绩”中锁定获奖名单，然后再公示。',
    en: 'Lock the awards under “Results” first, then publish.',
  },
  'publication.admin.publishedFlash': { zh: '结果已公示', en: 'The results are published' },
  'publication.admin.deadlineFlash': { zh: '申诉截止时间已修改', en: 'The appeal deadline was changed' },
  'publication.admin.unpublishedFlash': { zh: '公示已撤回', en: 'The publication was withdrawn' },
  'publication.admin.locks': { zh: '已锁定的结果', en: 'Locked results' },
  'publication.admin.round': { zh: '轮次', en: 'Round' },
  'publication.admin.lockedAt': { zh: '锁定时间', en: 'Locked' },
  'publication.admin.awards': { zh: '奖项', en: 'Awards' },
  'publication.admin.ledger': { zh: '账本', en: 'Ledger' },
  'publication.admin.revokedCount': { zh: '已撤销 {count}', en: '{count} revoked' },
  'publication.admin.openAwards': { zh: '获奖名单', en: 'Awards' },
  'publication.admin.noLocks': { zh: '还没有锁定的结果。', en: 'No results are locked yet.' },
  'publication.admin.certificates': { zh: '荣誉证书', en: 'Certificates' },
  'publication.admin.allCertificates': {
    zh: '下载全部证书（{count} 张，PDF）',
    en: 'Download all certificates ({count}, PDF)',
  },
  'publication.admin.certNo': { zh: '证书编号', en: 'Certificate no.' },
  'publication.admin.award': { zh: '奖项', en: 'Award' },
  'publication.admin.project': { zh: '项目', en: 'Project' },
  'publication.admin.overall': { zh: '总体', en: 'Overall' },
  'publication.admin.revoked': { zh: '已撤销', en: 'Revoked' },
  'publication.admin.verifyPage': { zh: '验证页', en: 'Check page' },
  'publication.admin.noCertificates': {
    zh: '锁定获奖名单后即可生成证书。',
    en: 'Certificates are available once the awards are locked.',
  },
  'publication.admin.exports': { zh: '导出', en: 'Exports' },
  'publication.admin.workbook': { zh: 'Excel 成绩册', en: 'Excel workbook' },
  'publication.admin.lockedBadge': { zh: '已锁定', en: 'locked' },
  'publication.admin.downloadXlsx': { zh: '下载 .xlsx', en: 'Download .xlsx' },
  'publication.admin.downloadCsv': { zh: '下载排名 .csv', en: 'Download ranking .csv' },
  'publication.admin.package': { zh: '下载成绩核验包（JSON）', en: 'Download the results package (JSON)' },
  'publication.admin.packageHelp': {
    zh: '核验包含全部评分输入、规则、计算结果、软件版本与审计账本哈希，可离线重新计算核对：',
    en: 'The package holds every scoring input, the rules, the results, the software version and the ledger hash; recompute and check it offline with',
  },

  // Organizer: appeals page.
  'publication.appeals.title': { zh: '申诉处理', en: 'Appeals' },
  'publication.appeals.summary': { zh: '共 {total} 件申诉，{open} 件待处理', en: '{total} appeal(s), {open} open' },
  'publication.appeals.none': { zh: '暂无申诉。', en: 'No appeals.' },
  'publication.appeals.submittedAt': { zh: '提交时间', en: 'Submitted' },
  'publication.appeals.decision': { zh: '处理结论', en: 'Decision' },
  'publication.appeals.answer': { zh: '答复', en: 'Answer' },
  'publication.appeals.answerHint': {
    zh: '答复将显示在申诉人的查询页面，并记入审计账本，提交后不可修改。',
    en: 'Shown on the appellant’s status page and recorded in the audit ledger; it cannot be changed afterwards.',
  },
  'publication.appeals.record': { zh: '记录结论', en: 'Record the decision' },
  'publication.appeals.answeredBy': { zh: '{name} 于 {at} 答复', en: 'Answered by {name} on {at}' },
  'publication.appeals.answeredFlash': { zh: '已记录申诉结论', en: 'The decision was recorded' },

  // Errors and field errors.
  'error.nothing-locked': {
    zh: '尚无已锁定的结果，请先锁定获奖名单',
    en: 'No results are locked yet: lock the awards first',
  },
  'error.already-published': { zh: '结果已经公示', en: 'The results are already published' },
  'error.not-published': { zh: '结果尚未公示', en: 'The results are not published' },
  'error.appeal-closed': {
    zh: '申诉期已结束，不再受理申诉',
    en: 'The appeal period has ended; appeals are no longer accepted',
  },
  'error.appeal-answered': { zh: '该申诉已有结论，不能再次答复', en: 'This appeal has already been answered' },
  'error.no-certificates': {
    zh: '没有可生成的证书：请先锁定获奖名单',
    en: 'No certificates yet: lock the awards first',
  },
  'validation.unknown-project-ref': { zh: '没有这个项目编号', en: 'No project has this reference' },
  'validation.deadline-in-past': { zh: '截止时间必须晚于现在', en: 'The deadline must be in the future' },
} satisfies MessageSet;
