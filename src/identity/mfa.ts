import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, User } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { randomBytes } from 'node:crypto';
import { sha256 } from '../lib/tokens.ts';
import { clearFailures, recordFailure, reserveAttempt } from './login.ts';
import { verifyPassword } from './passwords.ts';
import { newTotpSecret, otpauthUrl, qrCodeSvgDataUrl, verifyTotp } from './totp.ts';
import { isStaff } from './users.ts';

export const RECOVERY_CODE_COUNT = 10;

export interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

/** Starts (or restarts) enrolment: a new secret, not active until a code from it is confirmed. */
export async function startTotpEnrolment(db: Kysely<DB>, secrets: SecretBox, actor: Actor, user: User): Promise<Enrolment> {
  if (user.totp_enabled_at) throw new AppError('mfa_already_enabled');
  const secret = newTotpSecret();
  await db.updateTable('users').set({ totp_secret_enc: secrets.seal(secret), totp_last_step: null, updated_at: sql<Date>`now()` }).where('id', '=', user.id).execute();
  await recordAudit(db, actor, { action: 'mfa.enrolment_started', objectType: 'user', objectId: user.id });
  const url = otpauthUrl(secret, user.email);
  return { secret, otpauthUrl: url, qrCodeDataUrl: await qrCodeSvgDataUrl(url) };
}

/** Confirms enrolment with a first code; returns the recovery codes, shown once. */
export async function activateTotp(db: Kysely<DB>, secrets: SecretBox, actor: Actor, user: User, code: string): Promise<string[]> {
  if (user.totp_enabled_at) throw new AppError('mfa_already_enabled');
  if (!user.totp_secret_enc) throw new AppError('mfa_not_enrolled');
  const step = verifyTotp(secrets.open(user.totp_secret_enc), code, user.totp_last_step);
  if (step === null) throw new AppError('invalid_mfa_code');
  return db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_enabled_at: sql<Date>`now()`, totp_last_step: step, updated_at: sql<Date>`now()` }).where('id', '=', user.id).execute();
    const codes = await replaceRecoveryCodes(tx, user.id);
    await recordAudit(tx, actor, { action: 'mfa.enabled', objectType: 'user', objectId: user.id });
    return codes;
  });
}

function newRecoveryCode(): string {
  // 10 characters from an unambiguous alphabet, shown as xxxxx-xxxxx.
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}

async function replaceRecoveryCodes(db: Kysely<DB>, userId: string): Promise<string[]> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ id: newId('recoveryCode'), user_id: userId, code_hash: sha256(normaliseRecoveryCode(c)) })))
    .execute();
  return codes;
}

export async function regenerateRecoveryCodes(db: Kysely<DB>, secrets: SecretBox, actor: Actor, user: User, code: string): Promise<string[]> {
  if (!user.totp_enabled_at || !user.totp_secret_enc) throw new AppError('mfa_not_enrolled');
  await consumeTotpOrFail(db, secrets, actor, user, code);
  return db.transaction().execute(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, user.id);
    await recordAudit(tx, actor, { action: 'mfa.recovery_codes_regenerated', objectType: 'user', objectId: user.id });
    return codes;
  });
}

/**
 * Verifies a TOTP code and records its step so it cannot be replayed. A wrong code counts
 * as a failed login (and can lock the account). Not inside a transaction: the failure
 * count must survive the error that follows it.
 */
async function consumeTotpOrFail(db: Kysely<DB>, secrets: SecretBox, actor: Actor, user: User, code: string): Promise<void> {
  const attempts = await reserveAttempt(db, user.id);
  const step = user.totp_secret_enc ? verifyTotp(secrets.open(user.totp_secret_enc), code, user.totp_last_step) : null;
  if (step === null) {
    const locked = await recordFailure(db, actor, user.id, 'mfa', attempts);
    throw new AppError(locked ? 'account_locked' : 'invalid_mfa_code');
  }
  // Conditional update: two concurrent requests with the same code cannot both pass.
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new AppError('invalid_mfa_code');
  await clearFailures(db, user.id);
}

async function consumeRecoveryCodeOrFail(db: Kysely<DB>, actor: Actor, user: User, recoveryCode: string): Promise<void> {
  const attempts = await reserveAttempt(db, user.id);
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', user.id)
    .where('code_hash', '=', sha256(normaliseRecoveryCode(recoveryCode)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) {
    const locked = await recordFailure(db, actor, user.id, 'mfa', attempts);
    throw new AppError(locked ? 'account_locked' : 'invalid_mfa_code');
  }
  await clearFailures(db, user.id);
  await recordAudit(db, actor, { action: 'mfa.recovery_code_used', objectType: 'user', objectId: user.id });
}

/** Second step of login: a TOTP code or a one-time recovery code. */
export async function verifySecondFactor(
  db: Kysely<DB>,
  secrets: SecretBox,
  actor: Actor,
  user: User,
  proof: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<void> {
  if (!user.totp_enabled_at) throw new AppError('mfa_not_enrolled');
  if (proof.code) await consumeTotpOrFail(db, secrets, actor, user, proof.code);
  else if (proof.recoveryCode) await consumeRecoveryCodeOrFail(db, actor, user, proof.recoveryCode);
  else throw new AppError('validation_failed', 'Give either code or recoveryCode.');
}

export async function countUnusedRecoveryCodes(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Importers may turn 2FA off (with password and a code); staff never can. */
export async function disableTotp(db: Kysely<DB>, secrets: SecretBox, actor: Actor, user: User, password: string, code: string): Promise<void> {
  if (isStaff(user.role)) throw new AppError('mfa_mandatory_for_staff');
  if (!user.totp_enabled_at) throw new AppError('mfa_not_enrolled');
  if (!(await verifyPassword(user.password_hash, password))) throw new AppError('wrong_password');
  await consumeTotpOrFail(db, secrets, actor, user, code);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_enabled_at: null, totp_secret_enc: null, totp_last_step: null, updated_at: sql<Date>`now()` }).where('id', '=', user.id).execute();
    await tx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
    await recordAudit(tx, actor, { action: 'mfa.disabled', objectType: 'user', objectId: user.id });
  });
}
