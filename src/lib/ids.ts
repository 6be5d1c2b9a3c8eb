import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Prefixes say what an id is, so an id pasted into a support chat explains itself. */
export const idPrefixes = {
  customer: 'cus',
  user: 'usr',
  session: 'ses',
  apiKey: 'key',
  recoveryCode: 'rec',
  passwordReset: 'pwr',
  audit: 'aud',
  job: 'job',
  request: 'req',
  ledgerAccount: 'acc',
  journalEntry: 'je',
  fxRate: 'fxr',
  fxSpread: 'fxs',
  feeSchedule: 'fee',
  quote: 'qt',
  taxRule: 'tax',
} as const;

export type IdKind = keyof typeof idPrefixes;

/** Time-sortable (ULID), lower-case, prefixed: `usr_01jd…`. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid().toLowerCase()}`;
}
