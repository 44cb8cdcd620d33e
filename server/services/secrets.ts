/** Random secrets and their hashes: one-time passwords, API tokens (≥128 bits), SHA-256 for lookups. */
import crypto from 'node:crypto';

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A readable random password (no look-alike characters), 16 characters ≈ 93 bits. */
export function randomPassword(length = 16): string {
  let out = '';
  while (out.length < length) {
    const byte = crypto.randomBytes(1)[0]!;
    if (byte < 256 - (256 % PASSWORD_ALPHABET.length)) out += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
  }
  return out;
}

/** A URL-safe random token with `bytes` of entropy (default 32 bytes = 256 bits). */
export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${crypto.randomBytes(bytes).toString('base64url')}`;
}

/** SHA-256 hex: high-entropy tokens are stored only as this hash. */
export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}
