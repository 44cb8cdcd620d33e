/** The service container: one instance of each use-case module, built from the database and clock. */
import type { Db } from '../../db/database.js';
import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import { createContestService } from './contest.service.js';
import { createUserService } from './user.service.js';

export function createServices(db: Db, clock: Clock, config: Pick<Config, 'publicUrl'>) {
  return {
    db,
    clock,
    publicUrl: config.publicUrl,
    users: createUserService(db, clock),
    contests: createContestService(db, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
