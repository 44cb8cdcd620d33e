/**
 * The audience: the phone page /live/:slug (keys `audience.*`, also handed to its browser code)
 * and the organizers' audience-vote page (keys `votes.*`), plus the vote's error codes.
 */
import type { MessageSet } from '../catalog.js';

export const audience = {
  // Error codes of the audience vote.
  'error.vote-closed': { zh: '投票尚未开放或已经结束', en: 'The vote is not open' },
  'error.already-voted': {
    zh: '这台设备已在本轮投过票（每台设备每轮一票），这次没有重复计票',
    en: 'This device has already voted in this round (one vote per device per round); nothing was counted twice',
  },
  'error.vote-open': { zh: '请先结束投票，再公布票数', en: 'Close the vote before releasing its counts' },
  'error.vote-not-opened': { zh: '本轮还没有开放过投票', en: 'This round’s vote has never been opened' },
  'error.vote-open-elsewhere': {
    zh: '另一轮（{round}）的投票正在进行，请先结束它',
    en: 'Another round’s vote ({round}) is open; close it first',
  },
  'error.not-on-ballot': { zh: '该项目不在本轮投票名单中', en: 'This project is not on this round’s ballot' },
  'error.device-unknown': {
    zh: '无法识别这台设备，请先打开观众页面再投票',
    en: 'This device is not recognized. Open the audience page, then vote',
  },

  // The phone page.
  'audience.title': { zh: '现场', en: 'Live' },
  'audience.nav.label': { zh: '页面导航', en: 'Sections' },
  'audience.nav.now': { zh: '现场', en: 'Stage' },
  'audience.nav.vote': { zh: '投票', en: 'Vote' },
  'audience.nav.board': { zh: '排行', en: 'Ranking' },
  'audience.nav.schedule': { zh: '赛程', en: 'Schedule' },
  'audience.conn.online': { zh: '实时', en: 'Live' },
  'audience.conn.offline': { zh: '重连中…', en: 'Reconnecting…' },
  'audience.conn.connecting': { zh: '连接中…', en: 'Connecting…' },
  'audience.now.title': { zh: '正在路演', en: 'Now presenting' },
  'audience.now.nobody': { zh: '路演尚未开始', en: 'The roadshow has not started yet' },
  'audience.now.nobodyHint': {
    zh: '开始后这里会实时显示台上项目和计时。',
    en: 'The project on stage and its timer appear here live.',
  },
  'audience.phase.idle': { zh: '等待开始', en: 'Waiting' },
  'audience.phase.presenting': { zh: '准备上台', en: 'Coming up' },
  'audience.phase.pitch': { zh: '路演中', en: 'Pitching' },
  'audience.phase.qa': { zh: '答辩中', en: 'Q&A' },
  'audience.phase.scoring': { zh: '评委评分中', en: 'Judges scoring' },
  'audience.phase.closed': { zh: '评分结束', en: 'Scoring closed' },
  'audience.timer.pitch': { zh: '路演剩余', en: 'Pitch time left' },
  'audience.timer.qa': { zh: '答辩剩余', en: 'Q&A time left' },
  'audience.timer.paused': { zh: '已暂停', en: 'Paused' },
  'audience.scoring.count': {
    zh: '评委已评分 {submitted}/{eligible}',
    en: '{submitted} of {eligible} judges have scored',
  },
  'audience.outOfCompetition': { zh: '打星', en: 'Out of competition' },

  'audience.vote.title': { zh: '人气奖投票', en: 'Audience award vote' },
  'audience.vote.intro': {
    zh: '每台设备每轮只能投一票，投出后不能更改。',
    en: 'One vote per device per round; it cannot be changed.',
  },
  'audience.vote.choose': { zh: '请选择一个项目', en: 'Choose a project' },
  'audience.vote.submit': { zh: '投票', en: 'Vote' },
  'audience.vote.submitFor': { zh: '投给「{title}」', en: 'Vote for “{title}”' },
  'audience.vote.sending': { zh: '正在提交…', en: 'Sending…' },
  'audience.vote.voted': { zh: '已投票', en: 'Voted' },
  'audience.vote.votedFor': { zh: '你已投票给「{title}」', en: 'You voted for “{title}”' },
  'audience.vote.votedHint': {
    zh: '票数在主办方公布前不公开。',
    en: 'Counts stay private until the organizers release them.',
  },
  'audience.vote.thanks': { zh: '投票成功，谢谢参与！', en: 'Thank you, your vote is in!' },
  'audience.vote.closed': {
    zh: '投票已结束，结果待主办方公布。',
    en: 'The vote is closed; the organizers will release the result.',
  },
  'audience.vote.results': { zh: '投票结果', en: 'Result' },
  'audience.vote.votes': { zh: '{n} 票', en: '{n} votes' },
  'audience.vote.voteOne': { zh: '1 票', en: '1 vote' },
  'audience.vote.network': { zh: '网络不稳定，请稍后重试', en: 'Network problem, please try again' },

  'audience.board.title': { zh: '排行榜', en: 'Leaderboard' },
  'audience.board.overall': { zh: '总榜', en: 'Overall' },
  'audience.board.tracks': { zh: '赛道', en: 'Tracks' },
  'audience.board.hidden': { zh: '排行榜暂不公开。', en: 'The leaderboard is not public.' },
  'audience.board.frozen': {
    zh: '排行榜已冻结，最终结果将在颁奖典礼揭晓。',
    en: 'The leaderboard is frozen; the final result is revealed at the ceremony.',
  },
  'audience.board.empty': { zh: '暂无成绩。', en: 'No scores yet.' },
  'audience.board.unavailable': { zh: '排行榜暂时无法加载。', en: 'The leaderboard could not be loaded.' },
  'audience.board.up': { zh: '上升 {n} 名', en: 'up {n}' },
  'audience.board.down': { zh: '下降 {n} 名', en: 'down {n}' },

  'audience.schedule.title': { zh: '出场顺序', en: 'Running order' },
  'audience.schedule.full': { zh: '完整赛程', en: 'Full schedule' },
  'audience.schedule.none': { zh: '出场顺序尚未公布。', en: 'The running order is not published yet.' },
  'audience.schedule.onStage': { zh: '台上', en: 'On stage' },

  // The organizers' audience-vote page.
  'votes.title': { zh: '人气奖投票', en: 'Audience vote' },
  'votes.intro': {
    zh: '观众用手机在 {url} 投票：每台设备每轮一票，同一网络地址每分钟最多提交 {limit} 次。票数在您公布前对公众隐藏。',
    en: 'The audience votes on their phones at {url}: one vote per device per round, at most {limit} posts a minute per network address. Counts stay hidden from the public until you release them.',
  },
  'votes.audiencePage': { zh: '打开观众页面', en: 'Open the audience page' },
  'votes.round.label': { zh: '轮次', en: 'Round' },
  'votes.noRounds': { zh: '该赛事还没有轮次。', en: 'This contest has no rounds yet.' },
  'votes.readOnly': {
    zh: '只读：您的角色可以查看投票，但不能开放、结束或公布。',
    en: 'Read-only: your role can watch the vote but not open, close or release it.',
  },
  'votes.status.none': { zh: '未开放', en: 'Not opened' },
  'votes.status.open': { zh: '投票中', en: 'Open' },
  'votes.status.closed': { zh: '已结束', en: 'Closed' },
  'votes.released': { zh: '票数已公布', en: 'Counts released' },
  'votes.notReleased': {
    zh: '票数未公布（观众只看到“已投票”）',
    en: 'Counts not released (the audience sees only “voted”)',
  },
  'votes.openedAt': { zh: '开放于 {at}', en: 'Opened {at}' },
  'votes.closedAt': { zh: '结束于 {at}', en: 'Closed {at}' },
  'votes.releasedAt': { zh: '公布于 {at}', en: 'Released {at}' },
  'votes.action.open': { zh: '开放投票', en: 'Open the vote' },
  'votes.action.reopen': { zh: '重新开放', en: 'Reopen' },
  'votes.action.close': { zh: '结束投票', en: 'Close the vote' },
  'votes.action.release': { zh: '公布票数', en: 'Release the counts' },
  'votes.action.hide': { zh: '撤回公布', en: 'Hide the counts' },
  'votes.flash.open': { zh: '投票已开放', en: 'The vote is open' },
  'votes.flash.close': { zh: '投票已结束', en: 'The vote is closed' },
  'votes.flash.release': { zh: '票数已公布', en: 'The counts are released' },
  'votes.flash.hide': { zh: '票数已撤回，不再公开', en: 'The counts are hidden again' },
  'votes.flash.accept': { zh: '这些票已计入', en: 'Those votes now count' },
  'votes.flash.hold': { zh: '这些票已重新暂扣', en: 'Those votes are held again' },
  'votes.tally.title': { zh: '实时票数', en: 'Live counts' },
  'votes.tally.project': { zh: '项目', en: 'Project' },
  'votes.tally.counted': { zh: '计入', en: 'Counted' },
  'votes.tally.held': { zh: '暂扣', en: 'Held' },
  'votes.tally.share': { zh: '占比', en: 'Share' },
  'votes.tally.totals': {
    zh: '共 {all} 票：计入 {counted}，暂扣 {held}',
    en: '{all} votes: {counted} counted, {held} held',
  },
  'votes.tally.live': { zh: '每几秒自动刷新', en: 'Refreshes every few seconds' },
  'votes.awardNote': {
    zh: '人气奖按“计入”的票数评定；暂扣的票不计入，除非您审核后计入。',
    en: 'The audience award uses the counted votes; held votes do not count unless you accept them.',
  },
  'votes.flags.title': { zh: '可疑的集中投票', en: 'Suspicious bursts' },
  'votes.flags.intro': {
    zh: '超出规则的票会被暂扣（不计入）。规则：同一网络地址 {ipMinutes} 分钟内超过 {ipLimit} 票；或单个项目 {projectSeconds} 秒内超过 {projectLimit} 票且占同期投票 {share}% 以上。会场共用一个出口地址时也会触发，请核实后决定。',
    en: 'Votes beyond these rules are held (not counted): more than {ipLimit} votes from one network address within {ipMinutes} minutes, or more than {projectLimit} votes for one project within {projectSeconds} seconds making up {share}% or more of the votes then. A venue sharing one public address trips this too: check before deciding.',
  },
  'votes.flags.none': { zh: '没有发现异常。', en: 'No bursts detected.' },
  'votes.flags.reason.ip-burst': {
    zh: '同一网络地址 #{address} 集中投票',
    en: 'Many votes from network address #{address}',
  },
  'votes.flags.reason.project-spike': { zh: '「{title}」票数突增', en: 'Spike for “{title}”' },
  'votes.flags.count': {
    zh: '{votes} 票超出规则，其中 {held} 票暂扣',
    en: '{votes} votes over the limit, {held} held',
  },
  'votes.flags.window': { zh: '{from} – {to}', en: '{from} – {to}' },
  'votes.flags.accept': { zh: '计入这些票', en: 'Count these votes' },
  'votes.flags.hold': { zh: '重新暂扣', en: 'Hold them again' },
} satisfies MessageSet;
