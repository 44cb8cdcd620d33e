/** Every message set, one file per area; catalog.ts merges them and refuses duplicate keys. */
import type { MessageSet } from '../catalog.js';
import { admin } from './admin.js';
import { common } from './common.js';
import { contest } from './contest.js';
import { errors } from './errors.js';
import { users } from './users.js';
import { judging } from './judging.js';
import { live } from './live.js';
import { judgeUi } from './judge-ui.js';
import { validation } from './validation.js';
import { registration } from './registration.js';
import { review } from './review.js';
import { schedule } from './schedule.js';
import { results } from './results.js';
import { publication } from './publication.js';
import { audience } from './audience.js';
import { screen } from './screen.js';

export const messageSets: MessageSet[] = [
  common,
  errors,
  validation,
  admin,
  contest,
  judging,
  users,
  judgeUi,
  live,
  review,
  registration,
  schedule,
  results,
  publication,
  audience,
  screen,
];
