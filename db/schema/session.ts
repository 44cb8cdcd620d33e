/** session: express-session store rows (serialized session JSON with an expiry in epoch ms). */
export interface SessionTable {
  sid: string;
  expires_at: number;
  data: string;
}
