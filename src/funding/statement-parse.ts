import Papa from 'papaparse';
import formatsFile from './formats/bank-formats.json' with { type: 'json' };
import { parseMt940 } from './mt940.ts';

export type NumberFormat = 'id' | 'en' | 'auto';

export interface CsvStatementFormat {
  id: string;
  bank: string;
  label: string;
  kind: 'csv';
  delimiter: string;
  columns: { date: string; description: string[]; amount?: string; debit?: string; credit?: string; direction?: string; balance?: string };
  dateFormat: 'DD/MM/YYYY' | 'DD-MM-YYYY' | 'YYYY-MM-DD' | 'DD/MM' | 'D MMM YYYY';
  /** For dates without a year: the statement period (two full dates) in the lines above the header. */
  yearFrom?: 'preamble';
  /** A pattern whose first group is the account number, searched in the lines above the header. */
  accountPattern?: string;
  /** signed: "-1.000" is a debit; suffix: "1,000.00 CR"; columns: separate debit and credit columns; direction_column: a D/K column. */
  amountStyle: 'signed' | 'suffix' | 'columns' | 'direction_column';
  creditMarks?: string[];
  debitMarks?: string[];
  numberFormat: NumberFormat;
}

export interface Mt940StatementFormat {
  id: string;
  bank: string;
  label: string;
  kind: 'mt940';
}

export type StatementFormat = CsvStatementFormat | Mt940StatementFormat;

export const STATEMENT_FORMATS: readonly StatementFormat[] = (formatsFile as { formats: StatementFormat[] }).formats;

export function findStatementFormat(id: string): StatementFormat | undefined {
  return STATEMENT_FORMATS.find((f) => f.id === id);
}

export interface ParsedLine {
  /** Line number in the file (1-based), for people to find it. */
  lineNo: number;
  /** Value date, YYYY-MM-DD. */
  date: string;
  description: string;
  direction: 'credit' | 'debit';
  /** Minor units (sen), always positive. */
  amount: bigint;
  /** The account balance after this line, when the file has it. */
  balance: bigint | null;
}

export interface ParseProblem {
  line: number;
  column: string | null;
  message: string;
}

export interface ParsedStatement {
  lines: ParsedLine[];
  /** Lines that could not be read: the file imports only if there are none, or if finance skips them explicitly. */
  problems: ParseProblem[];
  /** Set when the file as a whole is not what was expected (wrong bank, wrong account, not a statement). */
  fatal: ParseProblem | null;
  openingBalance: bigint | null;
  closingBalance: bigint | null;
}

/**
 * Reads an amount written the Indonesian way (`1.234.567,00`) or the English way
 * (`1,234,567.00`) into minor units of a two-decimal currency, exactly. `auto` decides by
 * the last separator: followed by one or two digits it is the decimal mark, by three it
 * groups thousands (rupiah have no third decimal).
 */
export function parseStatementAmount(raw: string, format: NumberFormat): bigint {
  // The common shape (digits, well-placed thousands separators, up to two decimals, nothing
  // else) read in one match; anything else takes the general path below, which gives the
  // same value for this shape.
  const plain = format === 'auto' ? null : PLAIN[format].exec(raw);
  if (plain) {
    const digits = (plain[1] ?? plain[2]!).replaceAll(format === 'en' ? ',' : '.', '') + (plain[3] ?? '').padEnd(2, '0');
    const minor = BigInt(digits);
    if (minor <= MAX_STATEMENT_AMOUNT) return minor;
  }
  let text = raw.replace(/[\s\u00a0]/g, '').replace(/^(Rp|IDR)/i, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  if (text.endsWith('-')) {
    negative = !negative;
    text = text.slice(0, -1);
  }
  if (!/^[0-9.,]+$/.test(text) || !/[0-9]/.test(text)) throw new Error(`"${raw}" is not an amount`);
  let decimalMark: '.' | ',' | null;
  if (format === 'id') decimalMark = ',';
  else if (format === 'en') decimalMark = '.';
  else {
    const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
    decimalMark = last >= 0 && /^[0-9]{1,2}$/.test(text.slice(last + 1)) ? (text[last] as '.' | ',') : null;
  }
  const groupMark = decimalMark === ',' ? '.' : decimalMark === '.' ? ',' : text.includes('.') ? '.' : ',';
  const parts = decimalMark ? text.split(decimalMark) : [text];
  if (parts.length > 2) throw new Error(`"${raw}" has more than one decimal mark`);
  let whole = parts[0]!;
  const fraction = parts[1] ?? '';
  if (whole.includes(groupMark)) {
    if (!GROUPED[groupMark].test(whole)) throw new Error(`"${raw}" has misplaced thousands separators`);
    whole = whole.split(groupMark).join('');
  }
  if (!/^[0-9]+$/.test(whole) && !(whole === '' && fraction)) throw new Error(`"${raw}" is not an amount in the ${format === 'id' ? 'Indonesian (1.234.567,00)' : format === 'en' ? 'English (1,234,567.00)' : 'expected'} number format`);
  if (!/^[0-9]{0,2}$/.test(fraction)) throw new Error(`"${raw}" has more than two decimals`);
  const minor = BigInt(whole || '0') * 100n + BigInt(fraction.padEnd(2, '0') || '0');
  if (minor > MAX_STATEMENT_AMOUNT) throw new Error(`"${raw}" is beyond any plausible bank balance (more than Rp 1.000.000.000.000.000)`);
  return negative ? -minor : minor;
}

/** Thousands groups by separator, compiled once (a statement has two amounts a line). */
const GROUPED = { '.': /^[0-9]{1,3}(\.[0-9]{3})*$/, ',': /^[0-9]{1,3}(,[0-9]{3})*$/ } as const;
/** Grouped or plain whole part, then optionally the decimal mark and 0–2 decimals. */
const PLAIN = {
  en: /^(?:([0-9]{1,3}(?:,[0-9]{3})+)|([0-9]+))(?:\.([0-9]{0,2}))?$/,
  id: /^(?:([0-9]{1,3}(?:\.[0-9]{3})+)|([0-9]+))(?:,([0-9]{0,2}))?$/,
} as const;

/** Rp 1 billiard (10^15 rupiah) in sen: far above any real line, far below bigint column limits even summed over a file. */
export const MAX_STATEMENT_AMOUNT = 10n ** 17n;

/** Descriptions as stored: no control characters (a NUL cannot go into a text column), single spaces. */
export function cleanText(text: string): string {
  // Printable ASCII with single inner spaces is already clean (most statement lines).
  if (!/[^\x20-\x7e]| {2}|^ | $/.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, mei: 5, may: 5, jun: 6, jul: 7, agu: 8, agt: 8, aug: 8, sep: 9, okt: 10, oct: 10, nov: 11, des: 12, dec: 12,
};

function isoDate(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new Error('no such date');
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A statement period; `DD/MM` dates take the year that puts them inside it (a period may cross New Year). */
export interface StatementPeriod {
  from: string;
  to: string;
}

export function parseStatementDate(raw: string, format: CsvStatementFormat['dateFormat'], period: StatementPeriod | null): string {
  const text = raw.trim().replace(/^'/, '');
  let m: RegExpMatchArray | null;
  try {
    switch (format) {
      case 'DD/MM/YYYY':
        if ((m = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/))) return isoDate(+m[3]!, +m[2]!, +m[1]!);
        break;
      case 'DD-MM-YYYY':
        if ((m = text.match(/^(\d{1,2})-(\d{1,2})-(\d{4})(?:\s.*)?$/))) return isoDate(+m[3]!, +m[2]!, +m[1]!);
        break;
      case 'YYYY-MM-DD':
        if ((m = text.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$/))) return isoDate(+m[1]!, +m[2]!, +m[3]!);
        break;
      case 'DD/MM':
        if ((m = text.match(/^(\d{1,2})\/(\d{1,2})$/))) {
          if (period === null) throw new Error('the statement period (with its year) was not found above the header');
          const fromYear = Number(period.from.slice(0, 4));
          let date = isoDate(fromYear, +m[2]!, +m[1]!);
          if (date < period.from) date = isoDate(Number(period.to.slice(0, 4)), +m[2]!, +m[1]!);
          if (date < period.from || date > period.to) throw new Error(`${date} is outside the statement period ${period.from}…${period.to}`);
          return date;
        }
        break;
      case 'D MMM YYYY':
        if ((m = text.match(/^(\d{1,2})[\s-]([A-Za-z]{3})[a-z]*[\s-](\d{4})$/)) && MONTHS[m[2]!.toLowerCase()]) return isoDate(+m[3]!, MONTHS[m[2]!.toLowerCase()]!, +m[1]!);
        break;
    }
  } catch (err) {
    throw new Error(`"${raw}" is not a valid date (${(err as Error).message})`);
  }
  throw new Error(`"${raw}" is not a date in the format ${format}`);
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * CSV rows with the line each starts on. Papa Parse rather than csv-parse here: on a
 * 100,000-line statement it is about twenty times faster, which is most of an import's
 * parsing time.
 */
function readCsv(content: string, delimiter: string): { records: CsvRecord[] } | { error: string; line: number } {
  const text = content.replace(/^\ufeff/, '');
  const records: CsvRecord[] = [];
  let line = 1;
  let offset = 0;
  const advance = (to: number) => {
    for (let i = offset; i < to; i++) if (text.charCodeAt(i) === 10) line++;
    offset = to;
  };
  let error: { error: string; line: number } | undefined;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: true,
    step: (row, parser) => {
      // Skip the line breaks of empty lines before this row, then remember where it starts.
      while (offset < text.length && (text[offset] === '\n' || text[offset] === '\r')) advance(offset + 1);
      const startLine = line;
      if (row.errors.length > 0 && row.errors[0]!.type === 'Quotes') {
        error = { error: row.errors[0]!.message, line: startLine };
        parser.abort();
        return;
      }
      records.push({ record: row.data.map((c) => c.trim()), info: { lines: startLine } });
      advance(row.meta.cursor);
    },
  });
  return error ?? { records };
}

const normaliseHeader = (h: string) => h.trim().replace(/^\ufeff/, '').toLowerCase();

function parseCsvStatement(format: CsvStatementFormat, content: string, accountNumber: string): ParsedStatement {
  const result: ParsedStatement = { lines: [], problems: [], fatal: null, openingBalance: null, closingBalance: null };
  const parsedCsv = readCsv(content, format.delimiter);
  if ('error' in parsedCsv) {
    result.fatal = { line: parsedCsv.line, column: null, message: `The file is not valid CSV: ${parsedCsv.error}` };
    return result;
  }
  const records = parsedCsv.records;
  const wanted = [format.columns.date, ...format.columns.description, format.columns.amount, format.columns.debit, format.columns.credit, format.columns.direction, format.columns.balance]
    .filter((c): c is string => !!c)
    .map(normaliseHeader);
  const headerIndex = records.findIndex((r) => {
    const cells = r.record.map(normaliseHeader);
    return wanted.every((w) => cells.includes(w));
  });
  if (headerIndex < 0) {
    result.fatal = {
      line: 1,
      column: null,
      message: `This file does not look like a ${format.label} export: no header row with the columns ${wanted.map((w) => `"${w}"`).join(', ')}.`,
    };
    return result;
  }
  const header = records[headerIndex]!.record.map(normaliseHeader);
  const col = (name: string | undefined) => (name ? header.indexOf(normaliseHeader(name)) : -1);
  const preamble = records.slice(0, headerIndex).map((r) => r.record.join(' ')).join('\n');
  let period: StatementPeriod | null = null;
  if (format.yearFrom === 'preamble') {
    const dates = [...preamble.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)].map((m) => {
      try {
        return isoDate(+m[3]!, +m[2]!, +m[1]!);
      } catch {
        return null;
      }
    }).filter((d): d is string => d !== null);
    if (dates.length >= 2) period = { from: dates[0]! < dates[1]! ? dates[0]! : dates[1]!, to: dates[0]! < dates[1]! ? dates[1]! : dates[0]! };
    else if (dates.length === 1) period = { from: dates[0]!, to: `${dates[0]!.slice(0, 4)}-12-31` };
  }
  if (format.accountPattern && accountNumber) {
    const m = preamble.match(new RegExp(format.accountPattern, 'i'));
    const named = m?.[1]?.replace(/[^0-9]/g, '');
    const own = accountNumber.replace(/[^0-9]/g, '');
    if (named && named !== own) {
      result.fatal = { line: records.find((r) => new RegExp(format.accountPattern!, 'i').test(r.record.join(' ')))?.info.lines ?? 1, column: null, message: `The statement is for account ${named}, not ${own}.` };
      return result;
    }
  }
  const creditMarks = (format.creditMarks ?? []).map((x) => x.toUpperCase());
  const debitMarks = (format.debitMarks ?? []).map((x) => x.toUpperCase());

  // Column positions looked up once, not per line; a day's date is read once too.
  const positions = new Map<string, number>();
  const cellOf = (record: string[], name: string | undefined) => {
    if (!name) return '';
    let i = positions.get(name);
    if (i === undefined) positions.set(name, (i = col(name)));
    return i >= 0 ? (record[i] ?? '').trim() : '';
  };
  const dates = new Map<string, string>();
  for (let r = headerIndex + 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const lineNo = info.lines;
    // Footer rows (totals, saldo awal/akhir) carry no date: they are not transactions.
    const dateText = cellOf(record, format.columns.date);
    if (/^(saldo|total|mutasi|opening|closing|ending|beginning)/i.test(dateText)) continue;
    if (!dateText) {
      // A row without a date is a footer only if it moves no money; otherwise it is a line we cannot place.
      const money = [format.columns.amount, format.columns.debit, format.columns.credit].some((c) => c && cellOf(record, c) !== '' && !/^[0.,\s]*$/.test(cellOf(record, c)));
      if (!money) continue;
    }
    let current = format.columns.date;
    try {
      let date = dates.get(dateText);
      if (date === undefined) dates.set(dateText, (date = parseStatementDate(dateText, format.dateFormat, period)));
      let direction: 'credit' | 'debit';
      let amount: bigint;
      if (format.amountStyle === 'columns') {
        current = format.columns.credit!;
        const credit = cellOf(record, format.columns.credit) ? parseStatementAmount(cellOf(record, format.columns.credit), format.numberFormat) : 0n;
        current = format.columns.debit!;
        const debit = cellOf(record, format.columns.debit) ? parseStatementAmount(cellOf(record, format.columns.debit), format.numberFormat) : 0n;
        if (credit < 0n || debit < 0n) throw new Error('debit and credit columns must not be negative');
        if ((credit > 0n) === (debit > 0n)) {
          current = format.columns.credit!;
          throw new Error('exactly one of the debit and credit columns must hold an amount');
        }
        direction = credit > 0n ? 'credit' : 'debit';
        amount = credit > 0n ? credit : debit;
      } else {
        current = format.columns.amount!;
        let text = cellOf(record, format.columns.amount);
        let mark = '';
        if (format.amountStyle === 'suffix') {
          const m = text.match(/^(.*?)\s*([A-Za-z]{1,3})$/);
          if (!m) throw new Error(`"${text}" has no ${[...creditMarks, ...debitMarks].join('/')} mark`);
          text = m[1]!;
          mark = m[2]!.toUpperCase();
        } else if (format.amountStyle === 'direction_column') {
          current = format.columns.direction!;
          mark = cellOf(record, format.columns.direction).toUpperCase();
          current = format.columns.amount!;
        }
        const value = parseStatementAmount(text, format.numberFormat);
        if (format.amountStyle === 'signed') {
          direction = value < 0n ? 'debit' : 'credit';
          amount = value < 0n ? -value : value;
        } else {
          if (value < 0n) throw new Error(`"${text}" must not be negative (the direction is in its mark)`);
          if (creditMarks.includes(mark)) direction = 'credit';
          else if (debitMarks.includes(mark)) direction = 'debit';
          else {
            if (format.amountStyle === 'direction_column') current = format.columns.direction!;
            throw new Error(`"${mark}" is neither a credit (${creditMarks.join('/')}) nor a debit (${debitMarks.join('/')}) mark`);
          }
          amount = value;
        }
      }
      if (amount === 0n) throw new Error('the amount is zero');
      current = format.columns.balance ?? '';
      const balanceText = cellOf(record, format.columns.balance);
      const balance = balanceText ? parseStatementAmount(balanceText, format.numberFormat) : null;
      const description = cleanText(format.columns.description.map((d) => cellOf(record, d)).filter(Boolean).join(' '));
      result.lines.push({ lineNo, date, description, direction, amount, balance });
    } catch (err) {
      result.problems.push({ line: lineNo, column: current || null, message: (err as Error).message });
    }
  }
  if (result.lines.length === 0 && result.problems.length === 0) {
    result.fatal = { line: records[headerIndex]!.info.lines, column: null, message: 'The file has a header but no transactions.' };
  }
  return result;
}

/**
 * Parses a statement file in a shipped format. `accountNumber` is the company account the
 * file is imported for: a file that names another account is refused as a whole.
 */
export function parseStatement(format: StatementFormat, content: string, accountNumber: string): ParsedStatement {
  if (format.kind === 'mt940') return parseMt940(content, accountNumber);
  return parseCsvStatement(format, content, accountNumber);
}
