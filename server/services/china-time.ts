/**
 * Times organizers type in forms: contests run in China, so a date and time written without an
 * offset (a datetime-local input, "2024-11-30T18:00") is China time (UTC+8, no daylight saving);
 * stored as ISO UTC. No clock, no I/O.
 */

/** The offset of a time typed without one. */
export const CONTEST_UTC_OFFSET = '+08:00';

const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** "2024-11-30T18:00" (China time) or any ISO timestamp with an offset → ISO UTC; null when invalid. */
export function parseChinaTime(text: string): string | null {
  const value = text.trim();
  const withOffset = LOCAL_DATETIME.test(value) ? `${value}${CONTEST_UTC_OFFSET}` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(withOffset)) return null;
  const ms = Date.parse(withOffset);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** ISO UTC → "2024-11-30T18:00" in China time (the value of a datetime-local input). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}
