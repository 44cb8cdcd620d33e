/**
 * Normalized contact details (phone, e-mail) for comparing registrations and judges.
 *
 * Pure: no I/O, no clock, no framework imports.
 */

/**
 * Digits only; a mainland mobile number loses its +86 / 86 prefix. Empty when there are no digits.
 * @example normalizePhone('+86 138-0013-8000') === '13800138000'
 */
export function normalizePhone(phone: string): string {
  const digits = phone.normalize('NFKC').replace(/\D/g, '');
  const mainland = /^86(1\d{10})$/.exec(digits);
  return mainland?.[1] ?? digits;
}

/**
 * Trimmed and lower-cased (the whole address, local part included). Empty stays empty.
 * @example normalizeEmail(' Li.Wei@Example.COM ') === 'li.wei@example.com'
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
