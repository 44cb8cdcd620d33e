/**
 * Entry of the audience pages: the phone page /live/:slug (#live-app) and the organizers'
 * audience-vote page (#votes-admin). Both work without it; this keeps them live.
 */
import { startLivePage } from './live-page/page.js';
import { startVotesAdmin } from './live-page/votes-admin.js';

const live = document.getElementById('live-app');
if (live) startLivePage(live);
const votes = document.getElementById('votes-admin');
if (votes) startVotesAdmin(votes);
