import { hash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { bigintArray, integerArray, textArray } from '../db/arrays.ts';
import { StatementPipeline } from '../db/pipeline.ts';
import type { Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { preparedQuery } from '../db/database.ts';
import type { DB, EntryKind, JournalEntriesTable, PostingsTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import type { LedgerAccount } from './accounts.ts';

export type JournalEntry = Selectable<JournalEntriesTable>;
export type Posting = Selectable<PostingsTable>;

export interface PostingInput {
  debitAccountId: string;
  creditAccountId: string;
  amount: Money;
}

interface EntryCommon {
  /** Client-supplied: the same key with the same content returns the original entry. */
  idempotencyKey: string;
  /** Why money moved, as a stable code: `deposit`, `payout`, `fee`, `conversion`… */
  reason: string;
  /** The business object behind it (payment order, deposit…). */
  reference?: { type: string; id: string };
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface EntryInput extends EntryCommon {
  postings: PostingInput[];
}

export interface HoldInput extends EntryInput {
  /** After this, the hold can no longer be posted; a job voids it. */
  expiresAt?: Date;
}

export interface PostHoldInput extends Omit<EntryCommon, 'reason'> {
  holdId: string;
  reason?: string;
  /** Per posting of the hold, the amount to post (≤ held); absent = all. The rest is released. */
  amounts?: Money[];
}

export interface VoidHoldInput extends Omit<EntryCommon, 'reason'> {
  holdId: string;
  reason?: string;
}

export interface ReverseInput extends Omit<EntryCommon, 'reason'> {
  entryId: string;
  reason?: string;
}

export interface EntryResult {
  entry: JournalEntry;
  postings: Posting[];
  /** True when this call returned an entry written earlier with the same key. */
  replayed: boolean;
}

const REASON_PATTERN = /^[a-z][a-z0-9_.:-]{1,63}$/;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Retries of serialization failures and deadlocks before giving up with `ledger_busy`. */
export const MAX_LEDGER_ATTEMPTS = 8;
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

function isRetryable(err: unknown): boolean {
  return RETRYABLE_SQLSTATES.has((err as { code?: string })?.code ?? '');
}

/**
 * Runs `work` in a transaction, retrying serialization failures and deadlocks a bounded
 * number of times with jittered backoff. Inside a caller's transaction it runs in place:
 * the caller owns the retry then (and should use this function itself).
 */
export async function withLedgerRetry<T>(db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<T>, options: { singleStatement?: boolean } = {}): Promise<T> {
  if (db.isTransaction) return work(db);
  for (let attempt = 1; ; attempt++) {
    try {
      // A single statement is atomic on its own: no BEGIN/COMMIT round trips needed.
      return await (options.singleStatement ? work(db) : db.transaction().execute(work));
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (attempt >= MAX_LEDGER_ATTEMPTS) throw new AppError('ledger_busy', `Gave up after ${attempt} attempts (${(err as { code?: string }).code}).`);
      await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
    }
  }
}

// ---- the write engine ------------------------------------------------------------------

interface PlannedPosting {
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  currency: CurrencyCode;
  pending: boolean;
}

interface EntryPlan {
  kind: EntryKind;
  reason: string;
  reference: { type: string; id: string } | undefined;
  description: string | undefined;
  metadata: Record<string, unknown>;
  pendingId: string | null;
  reversesId: string | null;
  expiresAt: Date | null;
  postings: PlannedPosting[];
  /** Pending amounts a post/void takes off the hold's accounts. */
  releases: PlannedPosting[];
}

interface Delta {
  dp: bigint;
  cp: bigint;
  dpe: bigint;
  cpe: bigint;
}

/**
 * JSON with the keys of every object sorted (so equal content hashes equally), bigints as
 * strings. Written out directly rather than with a JSON.stringify replacer that copies
 * every object sorted: a statement import hashes tens of thousands of entries. The output is
 * exactly what `JSON.stringify(value, sortedKeysReplacer)` gives (checked by a property test).
 */
export function canonicalJson(value: unknown): string {
  return canonicalValue(value, '') ?? 'undefined';
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
const isArrayIndex = (k: string) => k.charCodeAt(0) <= 57 && ARRAY_INDEX.test(k) && Number(k) < 4294967295;

function canonicalValue(input: unknown, key: string): string | undefined {
  let v = input;
  if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, key);
  }
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        const items = new Array<string>(v.length);
        for (let i = 0; i < v.length; i++) items[i] = canonicalValue(v[i], String(i)) ?? 'null';
        return `[${items.join(',')}]`;
      }
      // Sorted by code units; like Object.fromEntries of sorted entries, array-index keys come first, in numeric order.
      let keys = Object.keys(v).sort((a, b) => (a < b ? -1 : 1));
      if (keys.some(isArrayIndex)) keys = [...keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isArrayIndex(k))];
      let out = '';
      for (const k of keys) {
        const item = canonicalValue((v as Record<string, unknown>)[k], k);
        if (item !== undefined) out += `${out ? ',' : ''}${JSON.stringify(k)}:${item}`;
      }
      return `{${out}}`;
    }
    default:
      return undefined;
  }
}

function contentHash(operation: string, content: unknown): string {
  return hash('sha256', `${operation}\n${canonicalJson(content)}`, 'hex');
}

function validateCommon(input: { idempotencyKey: string; reason?: string; reference?: { type: string; id: string } }) {
  if (!KEY_PATTERN.test(input.idempotencyKey)) throw new AppError('validation_failed', 'The entry key must be 1–200 visible ASCII characters.');
  if (input.reason !== undefined && !REASON_PATTERN.test(input.reason)) throw new AppError('validation_failed', `Reason code ${JSON.stringify(input.reason)} is not a valid code.`);
  if (input.reference && (!input.reference.type || !input.reference.id)) throw new AppError('validation_failed', 'A reference needs a type and an id.');
}

function validatePostings(postings: PostingInput[]): void {
  if (postings.length === 0) throw new AppError('validation_failed', 'An entry needs at least one posting.');
  if (postings.length > 10_000) throw new AppError('validation_failed', 'Too many postings in one entry.');
  for (const [i, p] of postings.entries()) {
    if (!p.amount.isPositive()) throw new AppError('validation_failed', `Posting ${i + 1}: the amount must be positive.`);
    if (p.debitAccountId === p.creditAccountId) throw new AppError('validation_failed', `Posting ${i + 1}: debit and credit accounts must differ.`);
  }
}

async function findByKey(db: Kysely<DB>, key: string): Promise<JournalEntry | undefined> {
  return db.selectFrom('journal_entries').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

async function postingsOf(db: Kysely<DB>, entryId: string): Promise<Posting[]> {
  return db.selectFrom('postings').selectAll().where('entry_id', '=', entryId).orderBy('seq').execute();
}

async function replay(db: Kysely<DB>, existing: JournalEntry, hash: string): Promise<EntryResult> {
  if (existing.content_hash !== hash) {
    throw new AppError('idempotency_conflict', `Entry key ${existing.idempotency_key} was already used for a different entry (${existing.id}).`, { entryId: existing.id });
  }
  return { entry: existing, postings: await postingsOf(db, existing.id), replayed: true };
}

interface WriteResult {
  replay?: string;
  error?: string;
  accountId?: string;
  accountCode?: string;
  accountCurrency?: string;
  currency?: string;
  available?: string;
  id?: string;
  createdAt?: string;
  postings?: [string, string, string][];
}

function refusal(r: WriteResult): AppError {
  switch (r.error) {
    case 'account_not_found':
      return new AppError('account_not_found', `No ledger account ${r.accountId}.`);
    case 'currency_mismatch':
      return new AppError('currency_mismatch', `Account ${r.accountCode} is in ${r.accountCurrency}, the postings to it in ${r.currency}.`);
    case 'account_closed':
      return new AppError('conflict', `Account ${r.accountCode} is closed.`);
    case 'insufficient_funds':
      return new AppError('insufficient_funds', `Account ${r.accountCode} (${r.currency}) would be overdrawn.`, {
        accountId: r.accountId,
        available: { amount: r.available, currency: r.currency },
      });
    default:
      return new AppError('internal_error', `Unexpected ledger answer ${r.error}`);
  }
}

/**
 * One call of the `ledger_write_entry` database function (migration 0007): the entry as
 * JSON, then the accounts it touches (id, currency, debits/credits posted/pending change)
 * and its postings (debit, credit, amount, currency, pending) as parallel arrays. On
 * PostgreSQL a named prepared statement: parsed and planned once per connection.
 */
const writeEntryQuery = preparedQuery(
  'ledger_write_entry',
  'select ledger_write_entry($1::jsonb, $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::boolean[]) as result',
);

/**
 * Applies a planned entry with one call of `ledger_write_entry`, which locks the accounts
 * in id order, checks currencies and overdraft flags, answers a replay when the key exists,
 * and writes entry, postings and balances. Outside a transaction that is a single
 * statement: one round trip per entry.
 */
async function writeEntry(db: Kysely<DB>, actor: Actor, key: string, hash: string, p: EntryPlan): Promise<EntryResult> {
  // Every account the entry touches, with the currency its postings are in and its balance change.
  const currencies = new Map<string, CurrencyCode>();
  for (const x of [...p.postings, ...p.releases]) {
    for (const id of [x.debitAccountId, x.creditAccountId]) {
      const seen = currencies.get(id);
      if (seen && seen !== x.currency) throw new AppError('currency_mismatch', `Account ${id} appears with postings in ${seen} and ${x.currency}.`);
      currencies.set(id, x.currency);
    }
  }
  const deltas = balanceDeltas(p);
  const accountIds = [...currencies.keys()];
  const delta = (id: string) => deltas.get(id) ?? { dp: 0n, cp: 0n, dpe: 0n, cpe: 0n };
  const entryId = newId('journalEntry');
  const entryJson = {
    id: entryId,
    idempotency_key: key,
    content_hash: hash,
    kind: p.kind,
    reason: p.reason,
    reference_type: p.reference?.type ?? null,
    reference_id: p.reference?.id ?? null,
    description: p.description ?? null,
    pending_id: p.pendingId,
    reverses_id: p.reversesId,
    expires_at: p.expiresAt?.toISOString() ?? null,
    metadata: JSON.parse(canonicalJson(p.metadata)) as unknown,
    actor_type: actor.type,
    actor_id: actor.id,
    request_id: actor.requestId ?? null,
  };
  const parameters = [
    JSON.stringify(entryJson),
    accountIds,
    accountIds.map((id) => currencies.get(id)!),
    accountIds.map((id) => delta(id).dp.toString()),
    accountIds.map((id) => delta(id).cp.toString()),
    accountIds.map((id) => delta(id).dpe.toString()),
    accountIds.map((id) => delta(id).cpe.toString()),
    p.postings.map((x) => x.debitAccountId),
    p.postings.map((x) => x.creditAccountId),
    p.postings.map((x) => x.amount.toString()),
    p.postings.map((x) => x.currency),
    p.postings.map((x) => x.pending),
  ];

  let result: WriteResult;
  try {
    result = await withLedgerRetry(db, async (conn) => {
      const { rows } = await conn.executeQuery<{ result: WriteResult }>(writeEntryQuery(parameters));
      return rows[0]!.result;
    }, { singleStatement: true });
  } catch (err) {
    // pending_id / reverses_id are unique: a second resolution of one hold or a second
    // reversal of one entry cannot commit, whatever the checks before the write let through.
    const { code, constraint = '' } = err as { code?: string; constraint?: string };
    if (code === '23505' && constraint.includes('pending_id')) throw new AppError('hold_already_resolved');
    if (code === '23505' && constraint.includes('reverses_id')) throw new AppError('entry_already_reversed');
    throw err;
  }
  if (result.replay) return replay(db, (await findByKey(db, key))!, hash);
  if (result.error) throw refusal(result);

  const entry: JournalEntry = {
    id: entryId,
    idempotency_key: key,
    content_hash: hash,
    kind: p.kind,
    reason: p.reason,
    reference_type: entryJson.reference_type,
    reference_id: entryJson.reference_id,
    description: entryJson.description,
    pending_id: p.pendingId,
    reverses_id: p.reversesId,
    expires_at: p.expiresAt,
    metadata: entryJson.metadata as Record<string, unknown>,
    actor_type: actor.type,
    actor_id: actor.id,
    request_id: entryJson.request_id,
    created_at: new Date(result.createdAt!),
  };
  const postings: Posting[] = p.postings.map((x, seq) => {
    const [id, debitNet, creditNet] = result.postings![seq]!;
    return {
      id: BigInt(id),
      entry_id: entryId,
      seq,
      debit_account_id: x.debitAccountId,
      credit_account_id: x.creditAccountId,
      amount: x.amount,
      currency: x.currency,
      pending: x.pending,
      debit_net_after: BigInt(debitNet),
      credit_net_after: BigInt(creditNet),
    };
  });
  return { entry, postings, replayed: false };
}

function balanceDeltas(p: EntryPlan): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  const delta = (id: string) => {
    let d = deltas.get(id);
    if (!d) deltas.set(id, (d = { dp: 0n, cp: 0n, dpe: 0n, cpe: 0n }));
    return d;
  };
  for (const r of p.releases) {
    delta(r.debitAccountId).dpe -= r.amount;
    delta(r.creditAccountId).cpe -= r.amount;
  }
  for (const posting of p.postings) {
    if (posting.pending) {
      delta(posting.debitAccountId).dpe += posting.amount;
      delta(posting.creditAccountId).cpe += posting.amount;
    } else {
      delta(posting.debitAccountId).dp += posting.amount;
      delta(posting.creditAccountId).cp += posting.amount;
    }
  }
  return deltas;
}

/**
 * For writes that read the journal before planning (posting or voiding a hold, reversing):
 * an earlier call with the same key gets its entry back before any state check.
 */
async function replayIfWritten(db: Kysely<DB>, key: string, hash: string): Promise<EntryResult | undefined> {
  const existing = await findByKey(db, key);
  return existing ? replay(db, existing, hash) : undefined;
}

function plannedFromInput(postings: PostingInput[], pending: boolean): PlannedPosting[] {
  return postings.map((p) => ({ debitAccountId: p.debitAccountId, creditAccountId: p.creditAccountId, amount: p.amount.minor, currency: p.amount.currency, pending }));
}

function entryContent(input: EntryInput, extra: Record<string, unknown> = {}) {
  return {
    postings: input.postings.map((p) => [p.debitAccountId, p.creditAccountId, p.amount.minor, p.amount.currency]),
    reason: input.reason,
    reference: input.reference ?? null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    ...extra,
  };
}

// ---- use cases ----------------------------------------------------------------------------

/** A posted entry: money moves now. */
export async function createEntry(db: Kysely<DB>, actor: Actor, input: EntryInput): Promise<EntryResult> {
  validateCommon(input);
  validatePostings(input.postings);
  const hash = contentHash('entry', entryContent(input));
  return writeEntry(db, actor, input.idempotencyKey, hash, {
    kind: 'posted',
    reason: input.reason,
    reference: input.reference,
    description: input.description,
    metadata: input.metadata ?? {},
    pendingId: null,
    reversesId: null,
    expiresAt: null,
    postings: plannedFromInput(input.postings, false),
    releases: [],
  });
}

/** A hold (pending entry): reserves the money; later posted (fully or partly) or voided, once. */
export async function createHold(db: Kysely<DB>, actor: Actor, input: HoldInput): Promise<EntryResult> {
  validateCommon(input);
  validatePostings(input.postings);
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new AppError('validation_failed', 'A hold must expire in the future.');
  const hash = contentHash('hold', entryContent(input, { expiresAt: input.expiresAt?.toISOString() ?? null }));
  return writeEntry(db, actor, input.idempotencyKey, hash, {
    kind: 'pending',
    reason: input.reason,
    reference: input.reference,
    description: input.description,
    metadata: input.metadata ?? {},
    pendingId: null,
    reversesId: null,
    expiresAt: input.expiresAt ?? null,
    postings: plannedFromInput(input.postings, true),
    releases: [],
  });
}

async function loadHold(db: Kysely<DB>, holdId: string): Promise<{ hold: JournalEntry; postings: Posting[] }> {
  const hold = await db.selectFrom('journal_entries').selectAll().where('id', '=', holdId).executeTakeFirst();
  if (!hold || hold.kind !== 'pending') throw new AppError('entry_not_found', `No hold ${holdId}.`);
  return { hold, postings: await postingsOf(db, holdId) };
}

async function assertUnresolved(db: Kysely<DB>, holdId: string): Promise<void> {
  const resolved = await db.selectFrom('journal_entries').select('id').where('pending_id', '=', holdId).executeTakeFirst();
  if (resolved) throw new AppError('hold_already_resolved', undefined, { resolvedBy: resolved.id });
}

function releasesOf(postings: Posting[]): PlannedPosting[] {
  return postings.map((p) => ({ debitAccountId: p.debit_account_id, creditAccountId: p.credit_account_id, amount: p.amount, currency: p.currency as CurrencyCode, pending: true }));
}

function referenceOf(entry: JournalEntry): { type: string; id: string } | undefined {
  return entry.reference_type ? { type: entry.reference_type, id: entry.reference_id! } : undefined;
}

type FollowUpInput = Omit<EntryCommon, 'reason'> & { reason?: string };

/** The hashed content common to posting, voiding and reversing: what the caller said about it. */
function followUpContent(input: FollowUpInput) {
  return { reason: input.reason ?? null, reference: input.reference ?? null, description: input.description ?? null, metadata: input.metadata ?? {} };
}

/** An entry that acts on an earlier one (posts or voids a hold, reverses an entry), inheriting its reference. */
function followUpPlan(
  input: FollowUpInput,
  earlier: JournalEntry,
  kind: 'post_pending' | 'void_pending' | 'reversal',
  defaultReason: string,
  moves: { postings: PlannedPosting[]; releases: PlannedPosting[] },
): EntryPlan {
  return {
    kind,
    reason: input.reason ?? defaultReason,
    reference: input.reference ?? referenceOf(earlier),
    description: input.description,
    metadata: input.metadata ?? {},
    pendingId: kind === 'reversal' ? null : earlier.id,
    reversesId: kind === 'reversal' ? earlier.id : null,
    expiresAt: null,
    ...moves,
  };
}

/** Posts a hold: all of it, or per posting a smaller amount (the rest is released). */
export async function postHold(db: Kysely<DB>, actor: Actor, input: PostHoldInput): Promise<EntryResult> {
  validateCommon(input);
  const hash = contentHash('post', { holdId: input.holdId, amounts: input.amounts?.map((a) => [a.minor, a.currency]) ?? null, ...followUpContent(input) });
  const replayed = await replayIfWritten(db, input.idempotencyKey, hash);
  if (replayed) return replayed;
  const { hold, postings } = await loadHold(db, input.holdId);
  // Checked here for a clear answer; the unique index on pending_id decides under races.
  await assertUnresolved(db, hold.id);
  if (hold.expires_at && hold.expires_at.getTime() <= Date.now()) throw new AppError('hold_expired');
  if (input.amounts && input.amounts.length !== postings.length) {
    throw new AppError('validation_failed', `The hold has ${postings.length} postings; give one amount for each.`);
  }
  const posted: PlannedPosting[] = [];
  postings.forEach((p, i) => {
    const amount = input.amounts?.[i];
    if (amount && amount.currency !== p.currency) throw new AppError('currency_mismatch', `Amount ${i + 1} must be in ${p.currency}.`);
    const value = amount ? amount.minor : p.amount;
    if (value < 0n || value > p.amount) throw new AppError('validation_failed', `Amount ${i + 1} must be between 0 and the held ${p.amount}.`);
    if (value > 0n) posted.push({ debitAccountId: p.debit_account_id, creditAccountId: p.credit_account_id, amount: value, currency: p.currency as CurrencyCode, pending: false });
  });
  if (posted.length === 0) throw new AppError('validation_failed', 'Nothing to post: void the hold instead.');
  return writeEntry(db, actor, input.idempotencyKey, hash, followUpPlan(input, hold, 'post_pending', hold.reason, { postings: posted, releases: releasesOf(postings) }));
}

/** Voids a hold: the reserved money is released, nothing moves. */
export async function voidHold(db: Kysely<DB>, actor: Actor, input: VoidHoldInput): Promise<EntryResult> {
  validateCommon(input);
  const hash = contentHash('void', { holdId: input.holdId, ...followUpContent(input) });
  const replayed = await replayIfWritten(db, input.idempotencyKey, hash);
  if (replayed) return replayed;
  const { hold, postings } = await loadHold(db, input.holdId);
  await assertUnresolved(db, hold.id);
  return writeEntry(db, actor, input.idempotencyKey, hash, followUpPlan(input, hold, 'void_pending', 'hold_voided', { postings: [], releases: releasesOf(postings) }));
}

/** Reverses a posted entry with one that mirrors its postings; each entry can be reversed once. */
export async function reverseEntry(db: Kysely<DB>, actor: Actor, input: ReverseInput): Promise<EntryResult> {
  validateCommon(input);
  const hash = contentHash('reverse', { entryId: input.entryId, ...followUpContent(input) });
  const replayed = await replayIfWritten(db, input.idempotencyKey, hash);
  if (replayed) return replayed;
  const entry = await db.selectFrom('journal_entries').selectAll().where('id', '=', input.entryId).executeTakeFirst();
  if (!entry) throw new AppError('entry_not_found', `No entry ${input.entryId}.`);
  if (entry.kind !== 'posted' && entry.kind !== 'post_pending') {
    throw new AppError('entry_not_reversible', entry.kind === 'pending' ? 'A hold is voided, not reversed.' : `A ${entry.kind} entry cannot be reversed.`);
  }
  const reversed = await db.selectFrom('journal_entries').select('id').where('reverses_id', '=', entry.id).executeTakeFirst();
  if (reversed) throw new AppError('entry_already_reversed', undefined, { reversedBy: reversed.id });
  const postings = await postingsOf(db, entry.id);
  const mirrored = postings.map((p) => ({ debitAccountId: p.credit_account_id, creditAccountId: p.debit_account_id, amount: p.amount, currency: p.currency as CurrencyCode, pending: false }));
  return writeEntry(db, actor, input.idempotencyKey, hash, followUpPlan(input, entry, 'reversal', 'reversal', { postings: mirrored, releases: [] }));
}

export async function getEntry(db: Kysely<DB>, entryId: string): Promise<{ entry: JournalEntry; postings: Posting[] }> {
  const entry = await db.selectFrom('journal_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!entry) throw new AppError('entry_not_found');
  return { entry, postings: await postingsOf(db, entryId) };
}

export type HoldStatus = 'pending' | 'posted' | 'voided' | 'expired';

/** A hold's state, derived from whether (and how) an entry resolved it. */
export async function holdStatus(db: Kysely<DB>, hold: JournalEntry): Promise<HoldStatus> {
  const resolution = await db.selectFrom('journal_entries').select(['kind', 'reason']).where('pending_id', '=', hold.id).executeTakeFirst();
  if (!resolution) return 'pending';
  if (resolution.kind === 'post_pending') return 'posted';
  return resolution.reason === 'hold_expired' ? 'expired' : 'voided';
}

export function publicEntry(entry: JournalEntry, postings: Posting[]) {
  return {
    id: entry.id,
    kind: entry.kind,
    reason: entry.reason,
    reference: entry.reference_type ? { type: entry.reference_type, id: entry.reference_id } : null,
    description: entry.description,
    holdId: entry.pending_id,
    reversesId: entry.reverses_id,
    expiresAt: entry.expires_at?.toISOString() ?? null,
    metadata: entry.metadata,
    actor: { type: entry.actor_type, id: entry.actor_id },
    createdAt: entry.created_at.toISOString(),
    postings: postings.map((p) => ({
      seq: p.seq,
      debitAccountId: p.debit_account_id,
      creditAccountId: p.credit_account_id,
      amount: Money.of(p.amount, p.currency as CurrencyCode),
      pending: p.pending,
    })),
  };
}

// ---- many posted entries at once ---------------------------------------------------------

/** Entries per call of `ledger_write_entries`: bounds the size of one statement's parameters. */
const BATCH_CHUNK = 20_000;
const FIRST_CHUNK = 5_000;

/**
 * Writes many posted entries with the same checks as `createEntry` but set-wise (one
 * database call per 20,000 entries): for bulk work such as crediting a bank statement.
 * Every key must be new — a batch is not a replay mechanism — and a refusal (unknown
 * account, currency, overdraft, known key) refuses the whole chunk with an AppError, so
 * run it inside the transaction that owns the rows the keys derive from.
 * Returns the entry ids in input order.
 */
export async function createEntries(db: Kysely<DB>, actor: Actor, inputs: EntryInput[], options: { pipeline?: StatementPipeline } = {}): Promise<string[]> {
  // Several chunks are several statements: only a transaction makes them all or nothing.
  if (inputs.length > BATCH_CHUNK && !db.isTransaction) throw new Error('createEntries of more than one chunk must run inside a transaction');
  if (!db.isTransaction) {
    const chunk = planEntriesChunk(actor, inputs);
    if (chunk.ids.length > 0) checkBatchResult((await chunk.query.execute(db)).rows);
    return chunk.ids;
  }
  // Each chunk is planned while the one before is written. With the caller's pipeline the
  // last one may still be running on return: the caller's next statement waits for it.
  // The first chunk is small, so that the server starts writing early.
  const pipeline = options.pipeline ?? new StatementPipeline(db);
  const ids: string[] = [];
  for (let start = 0; start < inputs.length; ) {
    const size = start === 0 ? FIRST_CHUNK : BATCH_CHUNK;
    const chunk = planEntriesChunk(actor, inputs.slice(start, start + size));
    start += size;
    ids.push(...chunk.ids);
    if (chunk.ids.length > 0) await pipeline.push(chunk.query, checkBatchResult);
  }
  if (!options.pipeline) await pipeline.drain();
  return ids;
}

function checkBatchResult(rows: { result: WriteResult & { key?: string } }[]): void {
  const result = rows[0]!.result;
  if (result.error === 'key_exists') throw new AppError('idempotency_conflict', `Entry key ${result.key} already exists; a batch only writes new entries.`);
  if (result.error) throw refusal(result);
}

function planEntriesChunk(actor: Actor, inputs: EntryInput[]) {
  // Column arrays, unnested together by ledger_write_entries (migration 0008).
  const ids: string[] = [];
  const keys: string[] = [];
  const hashes: string[] = [];
  const reasons: string[] = [];
  const referenceTypes: (string | null)[] = [];
  const referenceIds: (string | null)[] = [];
  const descriptions: (string | null)[] = [];
  const metadata: (string | null)[] = [];
  const postingEntries: string[] = [];
  const postingSeqs: number[] = [];
  const postingDebits: string[] = [];
  const postingCredits: string[] = [];
  const postingDebitRefs: number[] = [];
  const postingCreditRefs: number[] = [];
  const postingAmounts: bigint[] = [];
  const postingCurrencies: string[] = [];
  // Each account once, numbered from 1 in order of appearance: postings refer to it by number too.
  const accounts = new Map<string, { ref: number; cur: CurrencyCode; dp: bigint; cp: bigint }>();
  const seenKeys = new Set<string>();
  const touch = (id: string, cur: CurrencyCode) => {
    let a = accounts.get(id);
    if (!a) accounts.set(id, (a = { ref: accounts.size + 1, cur, dp: 0n, cp: 0n }));
    else if (a.cur !== cur) throw new AppError('currency_mismatch', `Account ${id} appears with postings in ${a.cur} and ${cur}.`);
    return a;
  };
  for (const input of inputs) {
    validateCommon(input);
    validatePostings(input.postings);
    if (seenKeys.has(input.idempotencyKey)) throw new AppError('validation_failed', `Entry key ${input.idempotencyKey} appears twice in one batch.`);
    seenKeys.add(input.idempotencyKey);
    const id = newId('journalEntry');
    ids.push(id);
    keys.push(input.idempotencyKey);
    hashes.push(contentHash('entry', entryContent(input)));
    reasons.push(input.reason);
    referenceTypes.push(input.reference?.type ?? null);
    referenceIds.push(input.reference?.id ?? null);
    descriptions.push(input.description ?? null);
    metadata.push(input.metadata ? JSON.stringify(input.metadata) : null);
    input.postings.forEach((p, seq) => {
      const debit = touch(p.debitAccountId, p.amount.currency);
      const credit = touch(p.creditAccountId, p.amount.currency);
      debit.dp += p.amount.minor;
      credit.cp += p.amount.minor;
      postingEntries.push(id);
      postingSeqs.push(seq);
      postingDebits.push(p.debitAccountId);
      postingCredits.push(p.creditAccountId);
      postingDebitRefs.push(debit.ref);
      postingCreditRefs.push(credit.ref);
      postingAmounts.push(p.amount.minor);
      postingCurrencies.push(p.amount.currency);
    });
  }
  const list = [...accounts];
  const query = sql<{ result: WriteResult & { key?: string } }>`
    select ledger_write_entries(${textArray(ids)}, ${textArray(keys)}, ${textArray(hashes)}, ${textArray(reasons)},
      ${textArray(referenceTypes)}, ${textArray(referenceIds)}, ${textArray(descriptions)}, ${textArray(metadata)},
      ${textArray(postingEntries)}, ${integerArray(postingSeqs)}, ${textArray(postingDebits)}, ${textArray(postingCredits)},
      ${integerArray(postingDebitRefs)}, ${integerArray(postingCreditRefs)}, ${bigintArray(postingAmounts)}, ${textArray(postingCurrencies)},
      ${textArray(list.map(([id]) => id))}, ${textArray(list.map(([, a]) => a.cur))}, ${bigintArray(list.map(([, a]) => a.dp))},
      ${bigintArray(list.map(([, a]) => a.cp))}, ${actor.type}::text, ${actor.id}::text, ${actor.requestId ?? null}::text) as result`;
  return { ids, query };
}

/**
 * For a transaction that writes several entries: locks every account they will touch, in
 * id order, before the first one. Each entry locks its own accounts in id order, but two
 * entries in a row lock two sets one after the other, and two such transactions can then
 * wait on each other (seen under load: a payout's hold post, then its conversion).
 */
export async function lockAccountsInOrder(db: Kysely<DB>, accountIds: string[]): Promise<void> {
  if (!db.isTransaction) throw new Error('lockAccountsInOrder must run inside a transaction');
  const ids = [...new Set(accountIds)].sort();
  if (ids.length === 0) return;
  await db.selectFrom('ledger_accounts').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
}
