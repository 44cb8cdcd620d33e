/**
 * The judge's tablet scoring page (/judge): page chrome, stage banner, score sheet, outbox and
 * receipts. Keys under `judge.ui.` are also handed to the browser code (judge.router.ts).
 */
import type { MessageSet } from '../catalog.js';

export const judgeUi = {
  'judge.ui.pageTitle': { zh: '评分', en: 'Scoring' },
  'judge.ui.welcome.title': { zh: '请扫描您的评委二维码', en: 'Please scan your judge QR code' },
  'judge.ui.welcome.body': {
    zh: '评分页面只能通过您专属的评委二维码进入：请用平板或手机的相机扫描工作人员发给您的评委卡。',
    en: 'The scoring page opens only from your personal judge QR code: scan the judge card you were given with the camera of your tablet or phone.',
  },
  'judge.ui.welcome.help': {
    zh: '二维码无法使用？请联系现场工作人员为您重新发放。',
    en: 'QR code not working? Ask the organizers at the venue for a new one.',
  },
  'judge.ui.headJudge': { zh: '评委组长', en: 'Head judge' },
  'judge.ui.logout': { zh: '退出评分', en: 'Sign out' },
  'judge.ui.logoutHint': {
    zh: '退出后需要重新扫描评委二维码才能进入。',
    en: 'After signing out you need to scan your judge QR code again.',
  },
  'judge.ui.noscript': {
    zh: '评分页面需要启用浏览器的 JavaScript。',
    en: 'The scoring page needs JavaScript enabled in the browser.',
  },
  'judge.ui.loading': { zh: '正在载入…', en: 'Loading…' },
  'judge.ui.loadFailed': {
    zh: '暂时无法载入评分信息，正在重试…',
    en: 'Could not load the scoring information; retrying…',
  },

  'judge.ui.conn.online': { zh: '已连接', en: 'Online' },
  'judge.ui.conn.reconnecting': { zh: '正在重连…', en: 'Reconnecting…' },
  'judge.ui.conn.offline': { zh: '离线', en: 'Offline' },
  'judge.ui.conn.label': { zh: '网络状态', en: 'Connection' },
  'judge.ui.pending': { zh: '待发送 {count}', en: '{count} to send' },
  'judge.ui.pendingTitle': {
    zh: '已保存在本机、尚未送达服务器的评分',
    en: 'Scores saved on this device, not yet delivered to the server',
  },

  'judge.ui.projects.button': { zh: '项目列表', en: 'Projects' },
  'judge.ui.projects.title': { zh: '本轮项目', en: 'Projects in this round' },
  'judge.ui.projects.summary': {
    zh: '已评 {scored} · 未评 {open} · 回避 {recused}',
    en: '{scored} scored · {open} not scored · {recused} recused',
  },
  'judge.ui.projects.empty': { zh: '本轮暂无项目', en: 'No projects in this round yet' },
  'judge.ui.close': { zh: '关闭', en: 'Close' },

  'judge.ui.phase.idle': { zh: '等待开始', en: 'Waiting to start' },
  'judge.ui.phase.presenting': { zh: '即将路演', en: 'Up next' },
  'judge.ui.phase.pitch': { zh: '项目陈述', en: 'Pitch' },
  'judge.ui.phase.qa': { zh: '问答环节', en: 'Q&A' },
  'judge.ui.phase.scoring': { zh: '评分中', en: 'Scoring' },
  'judge.ui.phase.closed': { zh: '评分结束', en: 'Scoring over' },
  'judge.ui.timer.pitch': { zh: '陈述剩余', en: 'Pitch time left' },
  'judge.ui.timer.qa': { zh: '问答剩余', en: 'Q&A time left' },
  'judge.ui.timer.paused': { zh: '已暂停', en: 'Paused' },
  'judge.ui.timer.over': { zh: '时间到', en: 'Time is up' },
  'judge.ui.outOfCompetition': { zh: '打星项目（不参与排名）', en: 'Out of competition' },

  'judge.ui.scoring.waiting': { zh: '等待主持人开启评分', en: 'Waiting for the host to open scoring' },
  'judge.ui.scoring.waitingHint': {
    zh: '可以先打分，评分开启后再提交。',
    en: 'You can mark now and submit once scoring opens.',
  },
  'judge.ui.scoring.open': { zh: '评分已开启', en: 'Scoring is open' },
  'judge.ui.scoring.openHint': {
    zh: '评分关闭前可随时修改。',
    en: 'You can revise your score until scoring closes.',
  },
  'judge.ui.scoring.closed': { zh: '评分已关闭 · 已锁定', en: 'Scoring closed · locked' },
  'judge.ui.scoring.progress': {
    zh: '已提交 {submitted}/{eligible} 位评委',
    en: '{submitted} of {eligible} judges in',
  },

  'judge.ui.idle.title': { zh: '等待主持人呼叫项目', en: 'Waiting for the host to call a project' },
  'judge.ui.idle.body': {
    zh: '项目上台后会自动显示在这里，无需刷新页面。',
    en: 'The project on stage appears here by itself; there is no need to reload.',
  },
  'judge.ui.recused.title': { zh: '您已回避此项目', en: 'You are recused from this project' },
  'judge.ui.recused.body': {
    zh: '按照利益冲突回避规定，您不参与此项目的评分。',
    en: 'Under the conflict-of-interest rules you do not score this project.',
  },

  'judge.ui.sheet.title': { zh: '评分表', en: 'Score sheet' },
  'judge.ui.criterion.range': { zh: '{min}–{max} 分', en: '{min}–{max} points' },
  'judge.ui.criterion.step': { zh: '步长 {step}', en: 'step {step}' },
  'judge.ui.criterion.weight': { zh: '权重 ×{weight}', en: 'weight ×{weight}' },
  'judge.ui.criterion.levels': { zh: '{name}：快速选择档次', en: '{name}: pick a level' },
  'judge.ui.notScored': { zh: '未评分', en: 'Not scored' },
  'judge.ui.points': { zh: '分', en: 'pts' },
  'judge.ui.decrease': { zh: '{name} 减 {step} 分', en: 'Lower {name} by {step}' },
  'judge.ui.increase': { zh: '{name} 加 {step} 分', en: 'Raise {name} by {step}' },
  'judge.ui.total': { zh: '总分', en: 'Total' },
  'judge.ui.scoredCount': { zh: '已评 {done}/{all} 项', en: '{done} of {all} criteria scored' },
  'judge.ui.comment.label': { zh: '评语', en: 'Comment' },
  'judge.ui.comment.optional': { zh: '选填', en: 'optional' },
  'judge.ui.comment.placeholder': {
    zh: '对项目的建议、疑问或后续关注点',
    en: 'Advice, questions or points to follow up',
  },
  'judge.ui.interest.legend': { zh: '后续对接意向', en: 'Follow-up interest' },
  'judge.ui.interest.hint': {
    zh: '供主办方会后撮合对接，不计入分数。',
    en: 'Helps the organizers arrange follow-ups; not part of the score.',
  },
  'judge.ui.interest.investment': { zh: '投资意向', en: 'Investment interest' },
  'judge.ui.interest.clinical-pilot': { zh: '临床试点意向', en: 'Clinical pilot interest' },
  'judge.ui.interest.cooperation': { zh: '合作意向', en: 'Cooperation interest' },

  'judge.ui.submit': { zh: '提交评分', en: 'Submit score' },
  'judge.ui.submitRevision': { zh: '提交修改', en: 'Submit revision' },
  'judge.ui.hint.missing': { zh: '还有 {count} 项未评分', en: '{count} criteria still to score' },
  'judge.ui.hint.waiting': { zh: '评分开启后即可提交', en: 'You can submit once scoring opens' },
  'judge.ui.hint.ready': { zh: '全部评分项已评，可以提交', en: 'All criteria scored; ready to submit' },
  'judge.ui.confirm.title': { zh: '确认提交评分', en: 'Confirm your score' },
  'judge.ui.confirm.body': {
    zh: '请核对以下评分。提交后，在评分关闭前仍可修改。',
    en: 'Please check your marks. You can still revise them until scoring closes.',
  },
  'judge.ui.confirm.ok': { zh: '确认提交', en: 'Submit' },
  'judge.ui.confirm.back': { zh: '返回修改', en: 'Go back' },
  'judge.ui.confirm.none': { zh: '无', en: 'None' },

  'judge.ui.receipt.done': { zh: '已提交', en: 'Submitted' },
  'judge.ui.receipt.version': { zh: '第 {version} 版', en: 'Version {version}' },
  'judge.ui.receipt.at': { zh: '{time} 送达', en: 'received {time}' },
  'judge.ui.receipt.pending': { zh: '已保存在本机，等待发送', en: 'Saved on this device, waiting to send' },
  'judge.ui.receipt.pendingHint': {
    zh: '网络恢复后会自动送达，无需重复提交。',
    en: 'It is delivered automatically when the network is back; do not submit again.',
  },
  'judge.ui.revise': { zh: '修改评分', en: 'Revise score' },
  'judge.ui.discard': { zh: '放弃修改', en: 'Discard changes' },
  'judge.ui.locked': { zh: '评分已锁定，不能再修改。', en: 'Locked: this score can no longer be changed.' },
  'judge.ui.lockedNone': {
    zh: '评分已关闭，您未对此项目提交评分。',
    en: 'Scoring has closed; you did not submit a score for this project.',
  },

  'judge.ui.status.scored': { zh: '已评', en: 'Scored' },
  'judge.ui.status.not-scored': { zh: '未评', en: 'Not scored' },
  'judge.ui.status.recused': { zh: '回避', en: 'Recused' },
  'judge.ui.status.pending': { zh: '待发送', en: 'To send' },
  'judge.ui.status.onStage': { zh: '台上', en: 'On stage' },

  'judge.ui.error.rejected': { zh: '评分未被接受：{message}', en: 'Score not accepted: {message}' },
  'judge.ui.error.rejectedOther': {
    zh: '{project} 的评分未被接受：{message}',
    en: 'The score for {project} was not accepted: {message}',
  },
  'judge.ui.dismiss': { zh: '知道了', en: 'Dismiss' },
  'judge.ui.error.session': {
    zh: '评委登录已失效，请重新扫描您的评委二维码。未送达的评分仍保存在本机，重新进入后会自动发送。',
    en: 'Your judge session has ended; please scan your judge QR code again. Unsent scores stay on this device and are sent once you are back.',
  },
  'judge.ui.error.storage': {
    zh: '本机无法保存评分（浏览器存储不可用），请保持联网后再提交。',
    en: 'This device cannot store the score (browser storage unavailable); stay online and submit again.',
  },
} satisfies MessageSet;
