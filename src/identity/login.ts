import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, MfaState, User } from '../db/schema.ts';
import { verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { findUserByEmail, isStaff, normaliseEmail } from './users.ts';

/** Consecutive failures (password or 2FA code) before an account is locked. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** Failed attempts from one address within the window before it is throttled. */
export const MAX_FAILURES_PER_IP = 20;
export const IP_WINDOW_MINUTES = 15;

async function assertIpNotThrottled(db: Kysely<DB>, ip: string | null | undefined): Promise<void> {
  if (!ip) return;
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('ip', '=', ip)
    .where('succeeded', '=', false)
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${IP_WINDOW_MINUTES})`)
    .executeTakeFirstOrThrow();
  if (BigInt(row.n) >= BigInt(MAX_FAILURES_PER_IP)) throw new AppError('too_many_requests');
}

async function recordAttempt(db: Kysely<DB>, email: string, ip: string | null | undefined, succeeded: boolean): Promise<void> {
  await db.insertInto('login_attempts').values({ email: normaliseEmail(email).slice(0, 320), ip: ip ?? null, succeeded }).execute();
}

/**
 * Counts an attempt (password or second factor) before it is checked, in one statement, so
 * that concurrent guesses cannot slip past a lock. The attempt that reaches the limit locks
 * the account; a right answer in it clears the lock again (clearFailures). Throws
 * `account_locked` while the account is locked. Returns the attempts counted so far.
 */
export async function reserveAttempt(db: Kysely<DB>, userId: string): Promise<number> {
  const { rows } = await sql<{ attempts: number }>`
    update users set
      failed_login_count = failed_login_count + 1,
      locked_until = case when failed_login_count + 1 >= ${MAX_FAILED_LOGINS}
                          then now() + make_interval(mins => ${LOCKOUT_MINUTES}) else null end
    where id = ${userId} and (locked_until is null or locked_until <= now())
    returning failed_login_count as attempts`.execute(db);
  if (!rows[0]) throw new AppError('account_locked');
  return rows[0].attempts;
}

/** Audits a failed attempt; returns true when it was the one that locked the account. */
export async function recordFailure(db: Kysely<DB>, actor: Actor, userId: string, reason: 'password' | 'mfa', attempts: number): Promise<boolean> {
  const locks = attempts >= MAX_FAILED_LOGINS;
  await recordAudit(db, actor, { action: locks ? 'auth.account_locked' : 'auth.login_failed', objectType: 'user', objectId: userId, data: { reason, failures: attempts } });
  return locks;
}

export async function clearFailures(db: Kysely<DB>, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_login_count: 0, locked_until: null }).where('id', '=', userId).execute();
}

export interface PasswordCheckResult {
  user: User;
  /** What the session must still do before it is complete. */
  mfaState: MfaState;
}

/** Step one of login: the password. Throws a catalogue error for every refusal. */
export async function checkPasswordLogin(db: Kysely<DB>, actor: Actor, email: string, password: string): Promise<PasswordCheckResult> {
  await assertIpNotThrottled(db, actor.ip);
  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyAgainstDummy(password);
    await recordAttempt(db, email, actor.ip, false);
    throw new AppError('invalid_credentials');
  }
  let attempts: number;
  try {
    attempts = await reserveAttempt(db, user.id);
  } catch (err) {
    await recordAttempt(db, email, actor.ip, false);
    throw err;
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordAttempt(db, email, actor.ip, false);
    const locked = await recordFailure(db, { ...actor, type: 'user', id: user.id }, user.id, 'password', attempts);
    throw new AppError(locked ? 'account_locked' : 'invalid_credentials');
  }
  if (user.status !== 'active') throw new AppError('account_disabled');
  await recordAttempt(db, email, actor.ip, true);
  await clearFailures(db, user.id);
  const mfaState: MfaState = user.totp_enabled_at ? 'pending' : isStaff(user.role) ? 'enrolment_required' : 'complete';
  return { user, mfaState };
}
