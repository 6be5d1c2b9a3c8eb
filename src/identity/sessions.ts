import { sql, type Kysely } from 'kysely';
import type { DB, MfaState, Session, User } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { randomToken, sha256 } from '../lib/tokens.ts';

export const SESSION_COOKIE = 'jbt_session';

export interface NewSession {
  /** The raw cookie value: given to the browser once, stored only as a hash. */
  token: string;
  session: Session;
}

export async function createSession(
  db: Kysely<DB>,
  userId: string,
  mfaState: MfaState,
  ttlHours: number,
  client: { ip?: string | null; userAgent?: string | null },
): Promise<NewSession> {
  const token = randomToken(32);
  const session = await db
    .insertInto('sessions')
    .values({
      id: newId('session'),
      token_hash: sha256(token),
      user_id: userId,
      csrf_token: randomToken(24),
      mfa_state: mfaState,
      ip: client.ip ?? null,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
      expires_at: new Date(Date.now() + ttlHours * 3600_000),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}

export interface ResolvedSession {
  session: Session;
  user: User;
}

export async function findSessionByToken(db: Kysely<DB>, token: string): Promise<ResolvedSession | undefined> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  if (!user || user.status !== 'active') return undefined;
  return { session, user };
}

export async function touchSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: sql<Date>`now()` }).where('id', '=', sessionId).execute();
}

export async function revokeSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Logs a user out everywhere, optionally keeping the session that asked for it. */
export async function revokeAllSessions(db: Kysely<DB>, userId: string, exceptSessionId?: string): Promise<number> {
  let q = db.updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * After a privilege change (2FA passed) the session gets a new token and CSRF token, so
 * a token planted before login (session fixation) is worth nothing.
 */
export async function upgradeSession(db: Kysely<DB>, sessionId: string, mfaState: MfaState): Promise<NewSession> {
  const token = randomToken(32);
  const session = await db
    .updateTable('sessions')
    .set({ token_hash: sha256(token), csrf_token: randomToken(24), mfa_state: mfaState, last_seen_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}
