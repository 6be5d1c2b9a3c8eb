import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid asks its PRNG for one number per character; drawing them from a pooled buffer of
// crypto-random bytes costs one system call per 2,048 draws instead of one per character.
const pool = new Uint16Array(2048);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 65536;
}

const ulid = monotonicFactory(pooledRandom);

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
  deposit: 'dep',
  statementImport: 'bsi',
  statementLine: 'bsl',
  gatewayPayment: 'gwp',
  depositCredit: 'dcr',
  suspenseDecision: 'sus',
  document: 'doc',
  withdrawal: 'wdr',
  supplier: 'sup',
  payee: 'pye',
  blocklist: 'blk',
  paymentOrder: 'po',
  orderTransition: 'pot',
  installment: 'pin',
  payout: 'pay',
  riskFlag: 'rsk',
  fxConversion: 'fxc',
  dispute: 'dsp',
  orderBatch: 'pob',
  notification: 'ntf',
  disputeMessage: 'dsm',
  warehouse: 'wh',
  parcel: 'pcl',
  parcelTransition: 'pct',
  parcelAnnouncement: 'pan',
  parcelClaim: 'pcc',
  tariff: 'trf',
  shipment: 'shp',
  shipmentTransition: 'sht',
  insuranceClaim: 'icl',
} as const;

export type IdKind = keyof typeof idPrefixes;

/** Time-sortable (ULID), lower-case, prefixed: `usr_01jd…`. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid().toLowerCase()}`;
}
