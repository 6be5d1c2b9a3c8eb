import { formatMoney } from '../money/format.ts';

/** What the matcher needs to know of a deposit intent. Dates are Jakarta calendar dates. */
export interface MatchableIntent {
  id: string;
  customerId: string;
  amountDue: bigint;
  received: bigint;
  uniqueCode: number;
  referenceCode: string;
  /** First and last day on which a transfer counts as on time (Jakarta dates). */
  validFrom: string;
  validTo: string;
  /** Expired or cancelled intents still take late payments (credited to the wallet). */
  closed: boolean;
}

export interface StatementCredit {
  date: string;
  description: string;
  amount: bigint;
}

export type MatchKind = 'reference_code' | 'unique_amount' | 'late_unique_amount';

export type MatchDecision =
  | { matched: true; kind: MatchKind; intent: MatchableIntent; late: boolean; reason: string }
  | { matched: false; review: 'unmatched' | 'ambiguous'; candidates: { depositId: string; customerId: string; why: string }[]; reason: string };

/** JBT + 7 Crockford characters; read back with the look-alikes O→0 and I/L→1 forgiven. */
const REFERENCE_PATTERN = /JBT[\s-]?([0-9A-Z]{7})/g;
const normaliseCode = (code: string) => code.replace(/O/g, '0').replace(/[IL]/g, '1');

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const rp = (minor: bigint) => formatMoney(minor, 'IDR', 'en');

/**
 * Matches statement credits to deposit intents, in memory, in the order the lines are
 * given; applying a match changes what later lines can match (a paid intent takes no
 * second exact-amount payment). Intents paid through a gateway's virtual account are not
 * given to the matcher: their money arrives by the gateway's callback, never on the
 * company's statement. The rules, strongest first:
 *  1. an intent's reference code (JBT…) in the description — any amount: an under-payment
 *     leaves the rest open, an over-payment is credited in full. It comes before the amount
 *     because the importer wrote it: a transfer naming deposit X that happens to equal
 *     what deposit Y expects belongs to X's customer;
 *  2. the amount equals exactly what one open intent still expects, on a day it is valid;
 *  3. the same for an intent whose last day (or cancellation) is at most `lateDays` before:
 *     a late payment, credited to the wallet.
 * More than one candidate under 2 and 3 together is ambiguous: a person decides.
 */
export class DepositMatcher {
  private readonly byReference = new Map<string, MatchableIntent>();
  private readonly byOutstanding = new Map<bigint, MatchableIntent[]>();
  /** Last day of the late window per last day of validity (a statement has few distinct days). */
  private readonly lateUntil = new Map<string, string>();

  constructor(
    intents: Iterable<MatchableIntent>,
    private readonly lateDays: number,
  ) {
    for (const intent of intents) {
      this.byReference.set(intent.referenceCode, intent);
      this.index(intent);
    }
  }

  private outstanding(intent: MatchableIntent): bigint {
    return intent.amountDue - intent.received;
  }

  private index(intent: MatchableIntent): void {
    const due = this.outstanding(intent);
    if (due <= 0n) return;
    const list = this.byOutstanding.get(due);
    if (list) list.push(intent);
    else this.byOutstanding.set(due, [intent]);
  }

  private unindex(intent: MatchableIntent): void {
    const due = this.outstanding(intent);
    const list = this.byOutstanding.get(due);
    if (!list) return;
    const i = list.indexOf(intent);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byOutstanding.delete(due);
  }

  private lateWindowEnd(validTo: string): string {
    let end = this.lateUntil.get(validTo);
    if (end === undefined) this.lateUntil.set(validTo, (end = addDays(validTo, this.lateDays)));
    return end;
  }

  match(line: StatementCredit): MatchDecision {
    const text = line.description.toUpperCase();
    // Most lines name no reference: skip the pattern when JBT is not even there.
    for (const m of text.includes('JBT') ? text.matchAll(REFERENCE_PATTERN) : []) {
      const intent = this.byReference.get(`JBT${normaliseCode(m[1]!)}`);
      if (!intent) continue;
      const late = intent.closed || line.date > intent.validTo;
      const due = this.outstanding(intent);
      const how = line.amount === due ? 'the amount due' : line.amount < due ? `less than the ${rp(due)} due (the rest stays open)` : `more than the ${rp(due > 0n ? due : 0n)} due (the excess goes to the wallet)`;
      return { matched: true, kind: 'reference_code', intent, late, reason: `Reference ${intent.referenceCode} of ${intent.id} is in the description; ${rp(line.amount)} is ${how}${late ? '; paid after the intent closed: credited to the wallet' : ''}.` };
    }
    const candidates = this.byOutstanding.get(line.amount) ?? [];
    const onTime = candidates.filter((i) => !i.closed && line.date >= i.validFrom && line.date <= i.validTo);
    // Closed intents take a transfer from their first day on (a payment made on the last
    // day can be imported after the expiry job ran); open ones after their last day.
    const late = candidates.filter((i) => line.date >= i.validFrom && line.date <= this.lateWindowEnd(i.validTo) && (i.closed || line.date > i.validTo));
    if (onTime.length + late.length > 1) {
      return this.ambiguous([...onTime, ...late], line);
    }
    if (onTime.length === 1) {
      const intent = onTime[0]!;
      return {
        matched: true,
        kind: 'unique_amount',
        intent,
        late: false,
        reason: `${rp(line.amount)} is exactly what ${intent.id} expects (unique code ${intent.uniqueCode}), transferred on ${line.date}, within its validity ${intent.validFrom}…${intent.validTo}.`,
      };
    }
    if (late.length === 1) {
      const intent = late[0]!;
      return {
        matched: true,
        kind: 'late_unique_amount',
        intent,
        late: true,
        reason: `${rp(line.amount)} is exactly what ${intent.id} expected (unique code ${intent.uniqueCode}); it arrived on ${line.date}, ${intent.closed ? 'after the intent closed' : `after the intent's last day ${intent.validTo}`}: credited to the wallet as a late payment.`,
      };
    }
    return { matched: false, review: 'unmatched', candidates: [], reason: `No open deposit expects ${rp(line.amount)} on ${line.date} and no reference code is in the description.` };
  }

  private ambiguous(list: MatchableIntent[], line: StatementCredit): MatchDecision {
    return {
      matched: false,
      review: 'ambiguous',
      candidates: list.map((i) => ({ depositId: i.id, customerId: i.customerId, why: `expects ${rp(this.outstanding(i))} (${i.closed || line.date > i.validTo ? 'late' : 'on time'})` })),
      reason: `${list.length} deposits expect ${rp(line.amount)} around ${line.date}: a person must choose.`,
    };
  }

  /** Records money applied to an intent, so later lines see what it still expects. */
  apply(intent: MatchableIntent, amount: bigint): void {
    this.unindex(intent);
    intent.received += amount;
    this.index(intent);
  }
}
