import { cleanText, MAX_STATEMENT_AMOUNT, type ParsedLine, type ParsedStatement } from './statement-parse.ts';

/*
 * SWIFT MT940, the subset banks use for account statements: :20: reference, :25: account,
 * :28C: statement number, :60F:/:60M: opening balance, :61: a transaction with :86: its
 * details, :62F:/:62M: closing balance. Written here rather than taken from npm because
 * the published parsers return amounts as JavaScript numbers (our money never passes
 * through a float) and do not report the line at fault.
 */

interface Tag {
  tag: string;
  value: string;
  line: number;
}

function splitTags(content: string): Tag[] {
  const tags: Tag[] = [];
  content.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = raw.replace(/^\{[0-9]:[^}]*\}/g, '').replace(/^\{4:/, '');
    if (line.trim() === '' || line.trim() === '-}' || line.trim() === '-') return;
    const m = line.match(/^:([0-9]{2}[A-Z]?):(.*)$/);
    if (m) tags.push({ tag: m[1]!, value: m[2]!, line: i + 1 });
    else if (tags.length > 0) tags[tags.length - 1]!.value += `\n${line}`;
  });
  return tags;
}

function amountOf(text: string): bigint {
  const m = text.match(/^([0-9]+),([0-9]{0,2})$/);
  if (!m) throw new Error(`"${text}" is not an MT940 amount (digits, a comma, at most two decimals)`);
  const minor = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (minor > MAX_STATEMENT_AMOUNT) throw new Error(`"${text}" is beyond any plausible bank balance`);
  return minor;
}

function dateOf(yymmdd: string): string {
  const y = 2000 + Number(yymmdd.slice(0, 2));
  const mo = Number(yymmdd.slice(2, 4));
  const d = Number(yymmdd.slice(4, 6));
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw new Error(`"${yymmdd}" is not a valid date`);
  return date.toISOString().slice(0, 10);
}

function balanceOf(value: string): { amount: bigint; currency: string } {
  const m = value.trim().match(/^([CD])([0-9]{6})([A-Z]{3})([0-9]+,[0-9]{0,2})$/);
  if (!m) throw new Error(`"${value.trim()}" is not an MT940 balance (C/D, YYMMDD, currency, amount)`);
  dateOf(m[2]!);
  const amount = amountOf(m[4]!);
  return { amount: m[1] === 'D' ? -amount : amount, currency: m[3]! };
}

const digits = (s: string) => s.replace(/[^0-9]/g, '');

export function parseMt940(content: string, accountNumber: string): ParsedStatement {
  const result: ParsedStatement = { lines: [], problems: [], fatal: null, openingBalance: null, closingBalance: null };
  const tags = splitTags(content);
  if (!tags.some((t) => t.tag === '61' || t.tag.startsWith('60'))) {
    result.fatal = { line: 1, column: null, message: 'This is not an MT940 statement: no :60F: opening balance or :61: transaction lines.' };
    return result;
  }
  let running: bigint | null = null;
  let last: ParsedLine | null = null;
  let accountSeen = false;
  for (const t of tags) {
    // Details (:86:) belong to the :61: line right before them; any other tag in between
    // means a statement-level :86:, which must not change a transaction's description.
    if (t.tag !== '86') last = null;
    try {
      switch (t.tag) {
        case '25': {
          accountSeen = true;
          const own = digits(accountNumber);
          if (own && !digits(t.value).endsWith(own)) {
            result.fatal = { line: t.line, column: ':25:', message: `The statement is for account ${t.value.trim()}, not ${accountNumber}.` };
            return result;
          }
          break;
        }
        case '60F':
        case '60M': {
          if (!accountSeen) {
            result.fatal = { line: t.line, column: ':25:', message: 'The statement does not name its account (:25:) before its opening balance.' };
            return result;
          }
          const b = balanceOf(t.value);
          if (b.currency !== 'IDR') {
            result.fatal = { line: t.line, column: `:${t.tag}:`, message: `The statement is in ${b.currency}; company bank accounts hold IDR.` };
            return result;
          }
          if (result.openingBalance === null) result.openingBalance = b.amount;
          if (running !== null && running !== b.amount) {
            result.problems.push({ line: t.line, column: `:${t.tag}:`, message: `Opening balance ${b.amount} does not continue the previous closing balance ${running}.` });
          }
          running = b.amount;
          break;
        }
        case '61': {
          const first = t.value.split('\n')[0]!;
          const m = first.match(/^([0-9]{6})([0-9]{4})?(RC|RD|C|D)([A-Z])?([0-9]+,[0-9]{0,2})(.*)$/);
          if (!m) throw new Error(`"${first}" is not an MT940 transaction line (date, D/C mark, amount)`);
          const date = dateOf(m[1]!);
          const mark = m[3]!;
          // RC / RD are reversals of a credit / debit: money moves the other way.
          const direction = mark === 'C' || mark === 'RD' ? 'credit' : 'debit';
          const amount = amountOf(m[5]!);
          if (amount === 0n) throw new Error('the amount is zero');
          if (running !== null) running += direction === 'credit' ? amount : -amount;
          const rest = m[6]!.replace(/^[A-Z][A-Z0-9]{3}/, '').trim();
          last = { lineNo: t.line, date, description: cleanText([rest, ...t.value.split('\n').slice(1)].filter(Boolean).join(' ')), direction, amount, balance: running };
          result.lines.push(last);
          break;
        }
        case '86':
          if (last) {
            last.description = cleanText([last.description === 'NONREF' ? '' : last.description, t.value.replace(/\n/g, ' ')].filter(Boolean).join(' '));
            last = null;
          }
          break;
        case '62F':
        case '62M': {
          const b = balanceOf(t.value);
          result.closingBalance = b.amount;
          if (running !== null && running !== b.amount) {
            result.fatal = { line: t.line, column: `:${t.tag}:`, message: `The closing balance ${b.amount} is not the opening balance plus the lines (${running}): the file is incomplete or altered.` };
            return result;
          }
          break;
        }
      }
    } catch (err) {
      result.problems.push({ line: t.line, column: `:${t.tag}:`, message: (err as Error).message });
    }
  }
  return result;
}
