import { createHash, hash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { bigintArray, booleanArray, integerArray, textArray } from '../db/arrays.ts';
import { StatementPipeline } from '../db/pipeline.ts';
import type { DB, StatementLineStatus } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { balanceOf, ensureCustomerWallets, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntries, withLedgerRetry, type EntryInput } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { getBankAccount, type CompanyBankAccount } from './bank-accounts.ts';
import { creditDeposits } from './deposits.ts';
import { DepositMatcher, type MatchableIntent, type MatchDecision } from './matching.ts';
import { loadFundingSettings } from './settings.ts';
import { findStatementFormat, parseStatement, type ParsedLine, type ParseProblem } from './statement-parse.ts';

export interface StatementFile {
  bankAccountId: string;
  /** A shipped format id; absent = the bank account's own. */
  format?: string;
  fileName: string;
  content: string;
  /** Import the readable lines and leave out the bad ones (listed in the import). */
  skipBadLines?: boolean;
}

interface PlannedLine {
  id: string;
  line: ParsedLine;
  fingerprint: string;
  duplicate: boolean;
  decision: MatchDecision | null;
}

interface Plan {
  bank: CompanyBankAccount;
  format: string;
  lines: PlannedLine[];
  problems: ParseProblem[];
  closingBalance: bigint | null;
  balanceBreaks: { line: number; expected: string; found: string }[];
  periodFrom: string | null;
  periodTo: string | null;
}

/**
 * The same transaction in two exports gets the same fingerprint: its own fields plus how
 * many identical lines came before it in the file, so two equal transfers on one day stay
 * two lines, and a file that overlaps an earlier one adds only what is new.
 */
function fingerprints(lines: ParsedLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const base = [l.date, l.direction, l.amount.toString(), l.balance?.toString() ?? '', l.description.toUpperCase().replace(/\s+/g, ' ').trim()].join('|');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return hash('sha256', `${base}|${n}`, 'hex').slice(0, 40);
  });
}

/** Where the running balance printed on the statement does not follow from the lines. */
function balanceBreaks(lines: ParsedLine[]): Plan['balanceBreaks'] {
  const breaks: Plan['balanceBreaks'] = [];
  let previous: ParsedLine | null = null;
  for (const l of lines) {
    if (l.balance === null) continue;
    if (previous && previous.balance !== null) {
      const expected = previous.balance + (l.direction === 'credit' ? l.amount : -l.amount);
      if (expected !== l.balance) breaks.push({ line: l.lineNo, expected: expected.toString(), found: l.balance.toString() });
    }
    previous = l;
  }
  return breaks;
}

function chronological(lines: ParsedLine[]): ParsedLine[] {
  // Some banks export newest first: put the file in date order, keeping same-day order.
  const descending = lines.length > 1 && lines[0]!.date > lines[lines.length - 1]!.date;
  const ordered = descending ? [...lines].reverse() : lines;
  return ordered.map((l, i) => ({ l, i })).sort((a, b) => (a.l.date < b.l.date ? -1 : a.l.date > b.l.date ? 1 : a.i - b.i)).map((x) => x.l);
}

async function planImport(db: Kysely<DB>, file: StatementFile, lock: boolean): Promise<Plan> {
  let bankQuery = db.selectFrom('company_bank_accounts').selectAll().where('ledger_account_id', '=', file.bankAccountId);
  // Imports into one bank account take turns: the second sees the first's lines as known.
  if (lock) bankQuery = bankQuery.forUpdate();
  const bank = (await bankQuery.executeTakeFirst()) ?? (await getBankAccount(db, file.bankAccountId));
  const formatId = file.format ?? bank.statement_format;
  const format = findStatementFormat(formatId);
  if (!format) throw new AppError('validation_failed', `Unknown statement format ${formatId}.`);
  const parsed = parseStatement(format, file.content, bank.account_number);
  if (parsed.fatal) throw new AppError('statement_rejected', parsed.fatal.message, { problems: [parsed.fatal], skippable: false });
  if (parsed.problems.length > 0 && !file.skipBadLines) {
    throw new AppError('statement_rejected', `${parsed.problems.length} line(s) cannot be read; nothing was imported. Fix the file, or import with skipBadLines to leave them out.`, {
      problems: parsed.problems.slice(0, 200),
      // The readable lines could be imported on their own (skipBadLines); a whole-file refusal is not.
      skippable: true,
    });
  }
  const ordered = chronological(parsed.lines);
  const prints = fingerprints(ordered);
  const known = new Set<string>();
  for (let start = 0; start < prints.length; start += 10_000) {
    const rows = await db
      .selectFrom('bank_statement_lines')
      .select('fingerprint')
      .where('bank_account_id', '=', bank.ledger_account_id)
      .where(sql<boolean>`fingerprint in (select jsonb_array_elements_text(${JSON.stringify(prints.slice(start, start + 10_000))}::jsonb))`)
      .execute();
    for (const r of rows) known.add(r.fingerprint);
  }
  const fresh = ordered.filter((_, i) => !known.has(prints[i]!));
  const settings = await loadFundingSettings(db);
  const firstDate = fresh.find((l) => l.direction === 'credit')?.date;
  const matcher = new DepositMatcher(firstDate ? await loadMatchableIntents(db, bank.ledger_account_id, firstDate, settings.lateMatchDays, lock) : [], settings.lateMatchDays);
  const lines = ordered.map((line, i): PlannedLine => {
    const duplicate = known.has(prints[i]!);
    let decision: MatchDecision | null = null;
    if (!duplicate && line.direction === 'credit') {
      decision = matcher.match({ date: line.date, description: line.description, amount: line.amount });
      if (decision.matched) matcher.apply(decision.intent, line.amount);
    }
    return { id: newId('statementLine'), line, fingerprint: prints[i]!, duplicate, decision };
  });
  const withBalance = [...ordered].reverse().find((l) => l.balance !== null);
  return {
    bank,
    format: format.id,
    lines,
    problems: parsed.problems,
    closingBalance: parsed.closingBalance ?? withBalance?.balance ?? null,
    balanceBreaks: balanceBreaks(ordered),
    periodFrom: ordered[0]?.date ?? null,
    periodTo: ordered[ordered.length - 1]?.date ?? null,
  };
}

/** Open intents of the bank account, and closed ones recent enough to take a late payment. */
async function loadMatchableIntents(db: Kysely<DB>, bankAccountId: string, firstDate: string, lateDays: number, lock: boolean): Promise<MatchableIntent[]> {
  const cutoff = new Date(`${firstDate}T00:00:00+07:00`);
  cutoff.setUTCDate(cutoff.getUTCDate() - lateDays - 1);
  // What the matcher needs and no more (tens of thousands of rows): the Jakarta dates of
  // creation and expiry as the server computes them, the same as jakartaDate() would.
  const jakarta = (column: 'created_at' | 'expires_at') => sql<string>`to_char((${sql.ref(column)} at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD')`;
  let q = db
    .selectFrom('deposit_intents')
    .select(['id', 'customer_id', 'amount_due', 'received_amount', 'unique_code', 'reference_code', 'status'])
    .select([jakarta('created_at').as('valid_from'), jakarta('expires_at').as('valid_to')])
    .where('bank_account_id', '=', bankAccountId)
    // Virtual-account intents are paid through the gateway's callback, never by statement.
    .where('gateway', 'is', null)
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['open', 'partially_paid']),
        eb.and([eb('status', 'in', ['expired', 'cancelled']), eb('expires_at', '>=', cutoff)]),
        // Paid ones too: a further transfer naming their reference is the customer's money.
        eb.and([eb('status', '=', 'paid'), eb('paid_at', '>=', cutoff)]),
      ]),
    )
    .orderBy('id');
  if (lock) q = q.forUpdate();
  return (await q.execute()).map((d) => ({
    id: d.id,
    customerId: d.customer_id,
    amountDue: d.amount_due,
    received: d.received_amount,
    uniqueCode: d.unique_code,
    referenceCode: d.reference_code,
    validFrom: d.valid_from,
    validTo: d.valid_to,
    closed: d.status === 'expired' || d.status === 'cancelled',
  }));
}

function publicPlannedLine(p: PlannedLine) {
  const d = p.decision;
  return {
    lineNo: p.line.lineNo,
    date: p.line.date,
    description: p.line.description,
    direction: p.line.direction,
    amount: Money.of(p.line.amount, 'IDR'),
    balance: p.line.balance === null ? null : Money.of(p.line.balance, 'IDR'),
    duplicate: p.duplicate,
    match: d === null ? null : d.matched ? { kind: d.kind, depositId: d.intent.id, customerId: d.intent.customerId, late: d.late, reason: d.reason } : { review: d.review, candidates: d.candidates, reason: d.reason },
  };
}

function summarise(plan: Plan) {
  const fresh = plan.lines.filter((l) => !l.duplicate);
  return {
    linesTotal: plan.lines.length,
    linesNew: fresh.length,
    linesDuplicate: plan.lines.length - fresh.length,
    linesSkipped: plan.problems.length,
    creditsMatched: fresh.filter((l) => l.decision?.matched).length,
    creditsReview: fresh.filter((l) => l.decision && !l.decision.matched).length,
    debits: fresh.filter((l) => l.line.direction === 'debit').length,
    creditsTotal: Money.of(fresh.filter((l) => l.line.direction === 'credit').reduce((s, l) => s + l.line.amount, 0n), 'IDR'),
    debitsTotal: Money.of(fresh.filter((l) => l.line.direction === 'debit').reduce((s, l) => s + l.line.amount, 0n), 'IDR'),
  };
}

/** Parses and matches without writing anything: what finance checks before committing. */
export async function previewStatement(db: Kysely<DB>, file: StatementFile) {
  const plan = await planImport(db, file, false);
  const account = await getAccount(db, plan.bank.ledger_account_id);
  return {
    format: plan.format,
    summary: summarise(plan),
    problems: plan.problems,
    lines: plan.lines.map(publicPlannedLine),
    reconciliation: reconciliation(plan.closingBalance, balanceOf(account).posted.minor, plan.balanceBreaks, 'preview', summarise(plan).debitsTotal.minor),
  };
}

/**
 * The statement's closing balance against the ledger's bank account. Debits on the
 * statement (bank fees, payouts) are not booked by an import, so the difference usually
 * includes them: shown next to it, so finance can tell an explained gap from a real one.
 */
function reconciliation(statementBalance: bigint | null, ledgerBalance: bigint, breaks: Plan['balanceBreaks'], when: 'preview' | 'import', debitsNotBooked: bigint) {
  const idr = (v: bigint) => Money.of(v, 'IDR');
  const difference = statementBalance === null ? null : statementBalance - ledgerBalance;
  return {
    statementBalance: statementBalance === null ? null : idr(statementBalance),
    /** In a preview: the ledger before the import. */
    ledgerBalance: idr(ledgerBalance),
    difference: difference === null ? null : idr(difference),
    balanced: difference === null ? null : difference === 0n,
    /** Debit lines of this file, which no import books. */
    debitsNotBooked: idr(debitsNotBooked),
    /** Whether the difference is exactly those debits (e.g. fees and payouts booked elsewhere later). */
    explainedByDebits: difference === null ? null : difference !== 0n && -difference === debitsNotBooked,
    balanceBreaks: breaks.map((b) => ({ line: b.line, expected: idr(BigInt(b.expected)), found: idr(BigInt(b.found)) })),
    basis: when,
  };
}

/**
 * Imports a bank statement: stores its lines once (known fingerprints are skipped),
 * credits every new incoming transfer in the ledger — to the customer's wallet when it
 * matches a deposit intent, to suspense otherwise — and compares the statement's closing
 * balance with the ledger's bank account. All in one transaction: all or nothing.
 */
export async function importBankStatement(db: Kysely<DB>, actor: Actor, file: StatementFile) {
  return withLedgerRetry(db, async (tx) => {
    const plan = await planImport(tx, file, true);
    const summary = summarise(plan);
    const importId = newId('statementImport');
    const bankId = plan.bank.ledger_account_id;
    await tx
      .insertInto('bank_statement_imports')
      .values({
        id: importId,
        bank_account_id: bankId,
        format: plan.format,
        file_name: file.fileName.slice(0, 200),
        file_sha256: createHash('sha256').update(file.content).digest('hex'),
        period_from: plan.periodFrom,
        period_to: plan.periodTo,
        lines_total: summary.linesTotal,
        lines_new: summary.linesNew,
        lines_duplicate: summary.linesDuplicate,
        lines_skipped: summary.linesSkipped,
        credits_matched: summary.creditsMatched,
        credits_review: summary.creditsReview,
        debits: summary.debits,
        credits_total: summary.creditsTotal.minor,
        debits_total: summary.debitsTotal.minor,
        skipped: JSON.stringify(plan.problems),
        statement_balance: plan.closingBalance,
        ledger_balance: 0n,
        balance_breaks: JSON.stringify(plan.balanceBreaks),
        imported_by: actor.id,
      })
      .execute();

    const fresh = plan.lines.filter((l) => !l.duplicate);
    const matchedCustomers = fresh.flatMap((l) => (l.decision?.matched ? [l.decision.intent.customerId] : []));
    const wallets = await ensureCustomerWallets(tx, matchedCustomers, 'IDR');
    // One ledger entry per credit line: bank ↔ the customer's wallet, or ↔ suspense. The
    // statements run one after another, each built while the one before is on the server.
    const pipeline = new StatementPipeline(tx);
    const credited = fresh.filter((p) => p.decision !== null);
    const entryIds = await createEntries(
      tx,
      actor,
      credited.map((p): EntryInput => {
        const d = p.decision!;
        return {
          idempotencyKey: `statement-line:${p.id}`,
          reason: d.matched ? 'deposit' : 'deposit_unmatched',
          reference: d.matched ? { type: 'deposit', id: d.intent.id } : { type: 'statement_line', id: p.id },
          description: `${p.line.date} ${p.line.description}`.slice(0, 500),
          metadata: { statementLine: p.id, ...(d.matched ? { match: d.kind } : {}) },
          postings: [{ debitAccountId: bankId, creditAccountId: d.matched ? wallets.get(d.intent.customerId)! : SYSTEM_ACCOUNTS.suspense, amount: Money.of(p.line.amount, 'IDR') }],
        };
      }),
      { pipeline },
    );
    const entryOf = new Map(credited.map((p, i) => [p.id, entryIds[i]!]));
    // The lines, as column arrays: a matched line is also the record of its deposit credit.
    for (let start = 0; start < fresh.length; start += LINE_CHUNK) {
      await pipeline.push(insertLines(bankId, importId, fresh.slice(start, start + LINE_CHUNK), entryOf));
    }
    await creditDeposits(
      tx,
      actor,
      fresh.flatMap((p) => (p.decision?.matched ? [{ depositId: p.decision.intent.id, amount: p.line.amount }] : [])),
      { pipeline },
    );

    const ledgerBalance = balanceOf(await getAccount(tx, bankId)).posted.minor;
    await tx.updateTable('bank_statement_imports').set({ ledger_balance: ledgerBalance }).where('id', '=', importId).execute();
    await recordAudit(tx, actor, {
      action: 'funding.statement_imported',
      objectType: 'bank_statement_import',
      objectId: importId,
      data: { bankAccountId: bankId, fileName: file.fileName, ...summary, creditsTotal: summary.creditsTotal.minor.toString(), debitsTotal: summary.debitsTotal.minor.toString(), skipped: plan.problems.length },
    });
    return {
      import: {
        id: importId,
        bankAccountId: bankId,
        format: plan.format,
        fileName: file.fileName,
        periodFrom: plan.periodFrom,
        periodTo: plan.periodTo,
        ...summary,
        skipped: plan.problems,
        reconciliation: reconciliation(plan.closingBalance, ledgerBalance, plan.balanceBreaks, 'import', summary.debitsTotal.minor),
      },
    };
  });
}

/** Lines per insert: bounds one statement's parameters. */
const LINE_CHUNK = 20_000;

function insertLines(bankId: string, importId: string, lines: PlannedLine[], entryOf: Map<string, string>) {
  const col = <T,>(f: (p: PlannedLine, d: MatchDecision | null) => T) => lines.map((p) => f(p, p.decision));
  return sql`
    insert into bank_statement_lines (id, bank_account_id, import_id, fingerprint, line_no, value_date, description, direction, amount,
      balance_after, status, match_kind, match_reason, review_reason, candidates, deposit_id, customer_id, entry_id, late)
    select x.id, ${bankId}, ${importId}, x.fingerprint, x.line_no, x.value_date::date, x.description, x.direction, x.amount,
      x.balance_after, x.status, x.match_kind, x.match_reason, x.review_reason, coalesce(x.candidates::jsonb, '[]'::jsonb),
      x.deposit_id, x.customer_id, x.entry_id, x.late
    from unnest(
      ${textArray(col((p) => p.id))}, ${textArray(col((p) => p.fingerprint))}, ${integerArray(col((p) => p.line.lineNo))},
      ${textArray(col((p) => p.line.date))}, ${textArray(col((p) => p.line.description.slice(0, 1000)))}, ${textArray(col((p) => p.line.direction))},
      ${bigintArray(col((p) => p.line.amount))}, ${bigintArray(col((p) => p.line.balance))},
      ${textArray(col((_, d): StatementLineStatus => (!d ? 'debit' : d.matched ? 'matched' : 'review')))},
      ${textArray(col((_, d) => (d?.matched ? d.kind : null)))}, ${textArray(col((_, d) => (d ? d.reason : null)))},
      ${textArray(col((_, d) => (d && !d.matched ? d.review : null)))},
      ${textArray(col((_, d) => (d && !d.matched && d.candidates.length > 0 ? JSON.stringify(d.candidates) : null)))},
      ${textArray(col((_, d) => (d?.matched ? d.intent.id : null)))}, ${textArray(col((_, d) => (d?.matched ? d.intent.customerId : null)))},
      ${textArray(col((p) => entryOf.get(p.id) ?? null))}, ${booleanArray(col((_, d) => (d?.matched ? d.late : false)))}
    ) as x(id, fingerprint, line_no, value_date, description, direction, amount, balance_after, status, match_kind, match_reason,
      review_reason, candidates, deposit_id, customer_id, entry_id, late)`;
}

export async function listStatementImports(db: Kysely<DB>, bankAccountId: string | undefined, limit: number) {
  let q = db.selectFrom('bank_statement_imports').selectAll().orderBy('created_at', 'desc').limit(limit);
  if (bankAccountId) q = q.where('bank_account_id', '=', bankAccountId);
  return (await q.execute()).map(publicImport);
}

export function publicImport(r: Awaited<ReturnType<typeof getImportRow>>) {
  return {
    id: r.id,
    bankAccountId: r.bank_account_id,
    format: r.format,
    fileName: r.file_name,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    linesTotal: r.lines_total,
    linesNew: r.lines_new,
    linesDuplicate: r.lines_duplicate,
    linesSkipped: r.lines_skipped,
    creditsMatched: r.credits_matched,
    creditsReview: r.credits_review,
    debits: r.debits,
    creditsTotal: Money.of(r.credits_total, 'IDR'),
    debitsTotal: Money.of(r.debits_total, 'IDR'),
    skipped: r.skipped,
    reconciliation: reconciliation(r.statement_balance, r.ledger_balance, r.balance_breaks as Plan['balanceBreaks'], 'import', r.debits_total),
    importedBy: r.imported_by,
    createdAt: r.created_at.toISOString(),
  };
}

async function getImportRow(db: Kysely<DB>, id: string) {
  const r = await db.selectFrom('bank_statement_imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('not_found');
  return r;
}

export async function getStatementImport(db: Kysely<DB>, id: string) {
  const r = await getImportRow(db, id);
  const lines = await db.selectFrom('bank_statement_lines').selectAll().where('import_id', '=', id).orderBy('line_no').limit(5000).execute();
  return { import: publicImport(r), lines: lines.map(publicStatementLine) };
}

export function publicStatementLine(l: Awaited<ReturnType<typeof lineRow>>) {
  return {
    id: l.id,
    bankAccountId: l.bank_account_id,
    importId: l.import_id,
    lineNo: l.line_no,
    date: l.value_date,
    description: l.description,
    direction: l.direction,
    amount: Money.of(l.amount, 'IDR'),
    balance: l.balance_after === null ? null : Money.of(l.balance_after, 'IDR'),
    status: l.status,
    match: l.match_kind ? { kind: l.match_kind, reason: l.match_reason } : null,
    review: l.review_reason ? { reason: l.review_reason, explanation: l.match_reason, candidates: l.candidates } : null,
    depositId: l.deposit_id,
    customerId: l.customer_id,
    entryId: l.entry_id,
  };
}

export async function lineRow(db: Kysely<DB>, id: string) {
  const l = await db.selectFrom('bank_statement_lines').selectAll().where('id', '=', id).executeTakeFirst();
  if (!l) throw new AppError('not_found', `No statement line ${id}.`);
  return l;
}
