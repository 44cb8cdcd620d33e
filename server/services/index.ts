/** The service container: one instance of each use-case module, built from the database and clock. */
import type { Db } from '../../db/database.js';
import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import { createConflictService } from './conflict.service.js';
import { createContestService } from './contest.service.js';
import { createContestDocumentService } from './contest-document.service.js';
import { EventBus } from './events.js';
import { createJudgeLinkService } from './judge-link.service.js';
import { createLedgerService } from './ledger.service.js';
import { createProgressService } from './progress.service.js';
import { createReviewServices } from './review.service.js';
import { createRegistrationService } from './registration.service.js';
import { createScheduleService } from './schedule.service.js';
import { createScoreService } from './score.service.js';
import { createStageService } from './stage.service.js';
import { createUserService } from './user.service.js';
import { createResultsServices } from './awards.service.js';
import { createPublicationServices } from './publication.service.js';
import { createVoteService } from './vote.service.js';
import { createAudienceServices } from './screen.service.js';

export function createServices(db: Db, clock: Clock, config: Pick<Config, 'publicUrl' | 'dataDir'>) {
  const events = new EventBus();
  const ledger = createLedgerService(db, clock);
  const stage = createStageService(db, clock, ledger, events);
  // Arming the auto-close timer can wait a turn of the event loop: the score's push to the
  // screens (the broadcaster, also on this event) goes first.
  events.on('score.recorded', (e) =>
    setImmediate(() => void stage.onScoreRecorded(e.contestId, e.slug, e.roundId, e.projectId).catch(() => undefined)),
  );
  return {
    stage,
    progress: createProgressService(db),
    judgeLinks: createJudgeLinkService(db, clock, ledger, config.publicUrl, events),
    db,
    events,
    ledger,
    scores: createScoreService(db, clock, ledger, events, stage.view),
    clock,
    publicUrl: config.publicUrl,
    users: createUserService(db, clock, events),
    contests: createContestService(db, clock),
    contestDocuments: createContestDocumentService(db, clock),
    review: createReviewServices(db, clock, ledger, events),
    ...createResultsServices(db, clock, ledger, events),
    ...createPublicationServices(db, clock, ledger, events, config.publicUrl),
    conflicts: createConflictService(db, clock, ledger, events),
    schedule: createScheduleService(db, clock, ledger, events),
    registration: createRegistrationService(db, clock, ledger, config),
    votes: createVoteService(db, clock, ledger, events),
    ...createAudienceServices(db, clock, ledger, events),
  };
}

export type Services = ReturnType<typeof createServices>;
