import argon2 from 'argon2';
import { AppError } from '../app/errors.ts';

// OWASP's argon2id baseline (19 MiB, 2 passes); argon2's defaults are heavier than a
// 2-core server needs for interactive logins.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

const COMMON_PASSWORDS = new Set([
  'password', 'password1', 'password123', '1234567890', '12345678910', 'qwertyuiop', 'iloveyou123',
  'passw0rd123', 'admin12345', 'welcome123', 'indonesia1', 'jakarta123', 'bismillah1', 'sayangkamu',
  'abcdefghij', '0987654321', '1111111111', 'qwerty1234', 'rahasia123', 'katasandi1',
]);

export function assertStrongPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || COMMON_PASSWORDS.has(password.toLowerCase())) {
    throw new AppError('weak_password');
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check when the e-mail is unknown, so timing does not reveal accounts. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-for-timing');
  await verifyPassword(await dummyHash, password);
}
