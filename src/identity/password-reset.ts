import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { randomToken, sha256 } from '../lib/tokens.ts';
import { SEND_MAIL_JOB } from '../notify/mailer.ts';
import { assertStrongPassword, hashPassword } from './passwords.ts';
import { revokeAllSessions } from './sessions.ts';
import { findUserByEmail } from './users.ts';

export const RESET_TOKEN_TTL_MINUTES = 60;

const resetMail = {
  id: {
    subject: 'Atur ulang kata sandi Jembatan',
    body: (link: string) =>
      `Kami menerima permintaan untuk mengatur ulang kata sandi akun Jembatan Anda.\n\nBuka tautan ini dalam ${RESET_TOKEN_TTL_MINUTES} menit:\n${link}\n\nJika Anda tidak memintanya, abaikan e-mail ini; kata sandi Anda tidak berubah.`,
  },
  en: {
    subject: 'Reset your Jembatan password',
    body: (link: string) =>
      `We received a request to reset the password of your Jembatan account.\n\nOpen this link within ${RESET_TOKEN_TTL_MINUTES} minutes:\n${link}\n\nIf you did not ask for it, ignore this e-mail; your password is unchanged.`,
  },
};

/**
 * Always succeeds from the caller's point of view, so the endpoint does not reveal which
 * e-mails have accounts. The mail goes through the outbox in the same transaction.
 */
export async function requestPasswordReset(db: Kysely<DB>, actor: Actor, email: string, publicBaseUrl: string): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || user.status !== 'active') return;
  const token = randomToken(32);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('password_reset_tokens')
      .values({ id: newId('passwordReset'), user_id: user.id, token_hash: sha256(token), expires_at: sql<Date>`now() + make_interval(mins => ${RESET_TOKEN_TTL_MINUTES})` })
      .execute();
    const text = resetMail[user.locale];
    const link = `${publicBaseUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await enqueueJob(tx, SEND_MAIL_JOB, { to: user.email, subject: text.subject, text: text.body(link) });
    await recordAudit(tx, { ...actor, type: actor.id ? actor.type : 'user', id: actor.id ?? user.id }, { action: 'auth.password_reset_requested', objectType: 'user', objectId: user.id });
  });
}

/** Sets the new password, burns the token, unlocks the account and ends every session. */
export async function confirmPasswordReset(db: Kysely<DB>, actor: Actor, token: string, newPassword: string): Promise<void> {
  assertStrongPassword(newPassword);
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('password_reset_tokens')
      .set({ used_at: sql<Date>`now()` })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning(['user_id'])
      .executeTakeFirst();
    if (!row) throw new AppError('invalid_reset_token');
    await tx
      .updateTable('users')
      .set({ password_hash: hash, password_changed_at: sql<Date>`now()`, failed_login_count: 0, locked_until: null, updated_at: sql<Date>`now()` })
      .where('id', '=', row.user_id)
      .execute();
    // Other outstanding reset links die with this one.
    await tx.updateTable('password_reset_tokens').set({ used_at: sql<Date>`now()` }).where('user_id', '=', row.user_id).where('used_at', 'is', null).execute();
    await revokeAllSessions(tx, row.user_id);
    await recordAudit(tx, { ...actor, type: 'user', id: row.user_id }, { action: 'auth.password_reset', objectType: 'user', objectId: row.user_id });
  });
}
