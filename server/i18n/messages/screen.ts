/**
 * The big screen, its control page, the release policy and the ceremony. Keys starting with
 * `screen.` are also handed to the browser code of those pages (data-i18n), so text rendered
 * on the client is translated too.
 */
import type { MessageSet } from '../catalog.js';

export const screen = {
  'screen.title': { zh: '大屏', en: 'Big screen' },

  // Modes (control page) and what the screen shows.
  'screen.mode.auto': { zh: '自动', en: 'Auto' },
  'screen.mode.auto.hint': {
    zh: '跟随现场：上台→路演，评分→进度，评分结束→亮分或排行榜',
    en: 'Follows the stage: called → presenting, scoring → progress, closed → reveal or leaderboard',
  },
  'screen.mode.presenting': { zh: '正在路演', en: 'Now presenting' },
  'screen.mode.presenting.hint': { zh: '项目、团队与计时', en: 'Project, team and timer' },
  'screen.mode.scoring': { zh: '评分进度', en: 'Scoring' },
  'screen.mode.scoring.hint': { zh: '已提交的评委人数（不显示分数）', en: 'How many judges have submitted (no marks)' },
  'screen.mode.reveal': { zh: '亮分', en: 'Score reveal' },
  'screen.mode.reveal.hint': { zh: '逐位亮出评委总分与最终得分', en: 'Judge totals one by one, then the final score' },
  'screen.mode.leaderboard': { zh: '排行榜', en: 'Leaderboard' },
  'screen.mode.leaderboard.hint': { zh: '按发布策略显示', en: 'As the release policy allows' },
  'screen.mode.ceremony': { zh: '颁奖典礼', en: 'Award ceremony' },
  'screen.mode.ceremony.hint': { zh: '跟随颁奖控制台', en: 'Follows the ceremony console' },
  'screen.mode.idle': { zh: '待机', en: 'Standby' },
  'screen.mode.idle.hint': { zh: '赛事名称与观众二维码', en: 'Contest name and the audience QR code' },

  // Release policies.
  'screen.policy.hidden': { zh: '成绩暂不公开', en: 'Scores not public' },
  'screen.policy.live': { zh: '实时', en: 'Live' },
  'screen.policy.frozen': { zh: '已封榜', en: 'Frozen' },
  'screen.policy.revealed': { zh: '已公布', en: 'Revealed' },

  // Leaderboard.
  'screen.board.overall': { zh: '总榜', en: 'Overall' },
  'screen.board.hiddenNote': {
    zh: '评分进行中，成绩将在稍后公布',
    en: 'Scoring in progress — scores will be announced later',
  },
  'screen.board.frozenNote': {
    zh: '已封榜 · 榜单停在 {time}，暂停更新',
    en: 'Frozen at {time} — the board no longer changes',
  },
  'screen.board.frozenNoteNoTime': { zh: '已封榜，榜单暂停更新', en: 'Frozen — the board no longer changes' },
  'screen.board.revealedNote': { zh: '成绩已公布', en: 'Results revealed' },
  'screen.board.pending': { zh: '待评', en: 'Pending' },
  'screen.board.ooc': { zh: '打星', en: 'Out of competition' },
  'screen.board.zone': { zh: '{tier}区', en: '{tier} zone' },
  'screen.board.more': { zh: '另有 {count} 个项目未显示', en: '{count} more not shown' },
  'screen.board.empty': { zh: '暂无项目', en: 'No projects yet' },
  'screen.board.up': { zh: '上升 {n} 位', en: 'up {n}' },
  'screen.board.down': { zh: '下降 {n} 位', en: 'down {n}' },
  'screen.board.col.rank': { zh: '名次', en: 'Rank' },
  'screen.board.col.order': { zh: '序号', en: 'No.' },
  'screen.board.col.project': { zh: '项目', en: 'Project' },
  'screen.board.col.score': { zh: '得分', en: 'Score' },

  // Now presenting.
  'screen.presenting.label': { zh: '正在路演', en: 'Now presenting' },
  'screen.presenting.leader': { zh: '负责人', en: 'Lead' },
  'screen.presenting.team': { zh: '团队', en: 'Team' },
  'screen.presenting.next': { zh: '下一个', en: 'Up next' },
  'screen.presenting.nobody': { zh: '稍后开始', en: 'Starting soon' },
  'screen.timer.pitch': { zh: '项目陈述', en: 'Pitch' },
  'screen.timer.qa': { zh: '评委提问', en: 'Q&A' },
  'screen.timer.paused': { zh: '已暂停', en: 'Paused' },
  'screen.timer.over': { zh: '时间到', en: 'Time is up' },
  'screen.timer.waiting': { zh: '即将开始', en: 'About to start' },

  // Scoring.
  'screen.scoring.label': { zh: '评委评分中', en: 'Judges are scoring' },
  'screen.scoring.closed': { zh: '评分已结束', en: 'Scoring closed' },
  'screen.scoring.unit': { zh: '位评委已提交', en: 'judges have submitted' },
  'screen.scoring.waiting': { zh: '等待评分开始', en: 'Waiting for scoring' },

  // Score reveal.
  'screen.reveal.label': { zh: '现场亮分', en: 'Score reveal' },
  'screen.reveal.judge': { zh: '评委 {label}', en: 'Judge {label}' },
  'screen.reveal.dropped.high': { zh: '去掉最高分', en: 'Highest dropped' },
  'screen.reveal.dropped.low': { zh: '去掉最低分', en: 'Lowest dropped' },
  'screen.reveal.final': { zh: '最终得分', en: 'Final score' },
  'screen.reveal.method.trimmed': {
    zh: '去掉最高分和最低分后的平均分',
    en: 'Mean after dropping the highest and lowest totals',
  },
  'screen.reveal.method.mean': { zh: '各位评委总分的平均分', en: 'Mean of the judges’ totals' },
  'screen.reveal.waiting': { zh: '即将亮分', en: 'Scores coming up' },
  'screen.reveal.hidden': { zh: '成绩暂不公开', en: 'Scores are not public' },

  // Ceremony.
  'screen.ceremony.title': { zh: '颁奖典礼', en: 'Award ceremony' },
  'screen.ceremony.progress': { zh: '{step} / {total}', en: '{step} / {total}' },
  'screen.ceremony.page': { zh: '（{page}/{pages}）', en: '({page}/{pages})' },
  'screen.ceremony.audience': { zh: '观众投票', en: 'Audience vote' },
  'screen.ceremony.consoleTitle': { zh: '颁奖控制台', en: 'Ceremony console' },
  'screen.ceremony.notLocked': {
    zh: '获奖名单尚未锁定。请先在“成绩与奖项”中锁定获奖结果，颁奖步骤由锁定的名单生成。',
    en: 'The awards are not locked yet. Lock them under “Results & awards”: the steps are built from the locked list.',
  },
  'screen.ceremony.toResults': { zh: '前往成绩与奖项', en: 'Go to results & awards' },
  'screen.ceremony.empty': { zh: '锁定的结果中没有获奖项目。', en: 'The locked results have no awards.' },
  'screen.ceremony.lockedAt': { zh: '获奖名单锁定于 {at}', en: 'Awards locked at {at}' },
  'screen.ceremony.titleCard': { zh: '开场：颁奖典礼标题', en: 'Opening: the ceremony title card' },
  'screen.ceremony.next': { zh: '下一步', en: 'Next' },
  'screen.ceremony.back': { zh: '上一步', en: 'Back' },
  'screen.ceremony.reset': { zh: '回到开场', en: 'Back to the start' },
  'screen.ceremony.goto': { zh: '跳到此步', en: 'Go here' },
  'screen.ceremony.toScreen': { zh: '大屏切换到颁奖模式', en: 'Switch the screen to the ceremony' },
  'screen.ceremony.status': { zh: '当前第 {step} 步，共 {total} 步', en: 'Step {step} of {total}' },
  'screen.ceremony.keys': { zh: '快捷键：→ 下一步，← 上一步', en: 'Keys: → next, ← back' },
  'screen.ceremony.order': {
    zh: '顺序：从低到高逐级揭晓（如 三等奖 → 二等奖 → 一等奖），每级按赛道；观众投票奖项最后。',
    en: 'Order: lowest tier first (third → second → first prize), each tier by track; audience awards last.',
  },
  'screen.ceremony.screenShows': { zh: '大屏显示', en: 'On screen' },

  // QR, connection, idle.
  'screen.qr.caption': { zh: '扫码看实时榜单', en: 'Scan for the live board' },
  'screen.qr.alt': { zh: '观众页二维码：{url}', en: 'QR code of the audience page: {url}' },
  'screen.idle.scan': { zh: '手机扫码，观看实时榜单、参与人气投票', en: 'Scan to follow the live board and vote' },
  'screen.conn.online': { zh: '实时连接正常', en: 'Live' },
  'screen.conn.offline': { zh: '连接中断，正在重连…', en: 'Reconnecting…' },

  // Control page.
  'screen.control.title': { zh: '大屏控制', en: 'Screen control' },
  'screen.control.open': { zh: '打开大屏', en: 'Open the big screen' },
  'screen.control.openLive': { zh: '打开观众页', en: 'Open the audience page' },
  'screen.control.ceremonyLink': { zh: '颁奖控制台', en: 'Ceremony console' },
  'screen.control.stageLink': { zh: '现场控制台', en: 'Stage console' },
  'screen.control.readOnly': {
    zh: '只读模式：您的角色可以查看，但不能操作大屏。',
    en: 'Read-only: your role can watch but not control the screen.',
  },
  'screen.control.shows': { zh: '大屏当前显示', en: 'The screen shows' },
  'screen.control.round': { zh: '当前轮次', en: 'Current round' },
  'screen.control.mode': { zh: '显示模式', en: 'Mode' },
  'screen.control.reveal': { zh: '现场亮分', en: 'Score reveal' },
  'screen.control.reveal.project': { zh: '项目', en: 'Project' },
  'screen.control.reveal.start': { zh: '开始亮分', en: 'Start the reveal' },
  'screen.control.reveal.next': { zh: '亮下一位评委', en: 'Next judge' },
  'screen.control.reveal.final': { zh: '亮出最终得分', en: 'Reveal the final score' },
  'screen.control.reveal.back': { zh: '后退一步', en: 'Step back' },
  'screen.control.reveal.clear': { zh: '结束亮分', en: 'End the reveal' },
  'screen.control.reveal.status': {
    zh: '{title}：已亮 {shown}/{count} 位评委',
    en: '{title}: {shown} of {count} judges shown',
  },
  'screen.control.reveal.finalShown': {
    zh: '{title}：已亮出最终得分 {display}',
    en: '{title}: final score {display} shown',
  },
  'screen.control.reveal.none': { zh: '尚未开始亮分。', en: 'No reveal in progress.' },
  'screen.control.reveal.blocked': {
    zh: '当前轮次的发布策略不公开成绩（隐藏或封榜），不能亮分。',
    en: 'The round’s release policy hides scores (hidden or frozen): no reveal.',
  },
  'screen.control.reveal.anonymous': {
    zh: '赛事设置不在大屏显示评委打分：亮分时评委显示为“评委 A、B…”，只显示总分，顺序与评委名单无关。',
    en: 'The contest does not show judges’ marks on screen: judges appear as “Judge A, B…” with totals only, in an order unrelated to the panel list.',
  },
  'screen.control.reveal.named': {
    zh: '赛事设置在大屏显示评委打分：亮分时显示评委姓名与各自总分。',
    en: 'The contest shows judges’ marks on screen: judges are named with their totals.',
  },
  'screen.control.keys': {
    zh: '快捷键：→ 亮下一位，F 最终得分，← 后退',
    en: 'Keys: → next judge, F final score, ← back',
  },
  'screen.control.track': { zh: '排行榜显示', en: 'Leaderboard shows' },
  'screen.control.track.rotate': { zh: '轮播各赛道与总榜', en: 'Rotate through tracks and overall' },
  'screen.control.apply': { zh: '应用', en: 'Apply' },
  'screen.control.release': { zh: '成绩发布策略', en: 'Release policy' },
  'screen.control.release.hint': {
    zh: '隐藏：不显示任何分数与名次；实时：当前成绩；封榜：停在封榜时刻，此后的评分在公布前不显示；公布：显示完整的当前成绩。',
    en: 'Hidden: no scores or ranks; live: the current board; frozen: the board at the freeze, nothing after it until revealed; revealed: the full current board.',
  },
  'screen.control.col.round': { zh: '轮次', en: 'Round' },
  'screen.control.col.policy': { zh: '当前策略', en: 'Policy' },
  'screen.control.col.actions': { zh: '更改', en: 'Change' },
  'screen.control.frozenAt': { zh: '封榜于 {at}', en: 'frozen at {at}' },
  'screen.control.currentRound': { zh: '大屏当前轮次', en: 'on screen' },
  'screen.control.policy.hidden': { zh: '隐藏', en: 'Hide' },
  'screen.control.policy.live': { zh: '实时', en: 'Live' },
  'screen.control.policy.frozen': { zh: '封榜', en: 'Freeze' },
  'screen.control.policy.revealed': { zh: '公布', en: 'Reveal' },
  'screen.control.confirmFreeze': {
    zh: '封榜后，观众只看到此刻的榜单，之后的评分在公布前不会显示。确定封榜吗？',
    en: 'After the freeze the audience sees the board of this moment only; later scores stay hidden until the reveal. Freeze now?',
  },
  'screen.control.confirmReveal': {
    zh: '公布后，观众将看到当前的完整成绩。确定公布吗？',
    en: 'The audience will see the full current board. Reveal now?',
  },
  'screen.control.saved': { zh: '已保存', en: 'Saved' },
  'screen.control.network': { zh: '网络错误，请重试', en: 'Network error, please try again' },
  'screen.control.preview': { zh: '大屏预览', en: 'Screen preview' },

  // Errors.
  'error.release-hidden': {
    zh: '当前轮次的发布策略不公开成绩，不能亮分',
    en: 'The round’s release policy hides scores: no reveal',
  },
  'error.reveal-not-started': { zh: '请先选择项目开始亮分', en: 'Start a reveal first' },
  'error.reveal-scoring-open': {
    zh: '该项目仍在评分中，评分结束后才能亮分',
    en: 'Scoring is still open for this project: reveal after it closes',
  },
} satisfies MessageSet;
