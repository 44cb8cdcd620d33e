/** Room names, built only here. */
export const contestRoom = (contestId: number) => `contest:${contestId}`;
export const judgeRoom = (judgeId: number) => `judge:${judgeId}`;
export const organizerRoom = (userId: number) => `organizer:${userId}`;
