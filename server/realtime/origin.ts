/**
 * The Socket.IO handshake's Origin check: same host as the request, or the configured PUBLIC_URL.
 * Non-browser clients send no Origin and are allowed (they cannot ride a victim's cookies).
 */
export function allowedOrigin(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host) return true;
  return parsed.origin === new URL(publicUrl).origin;
}
