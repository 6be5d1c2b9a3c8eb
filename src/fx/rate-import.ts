import { parse } from 'csv-parse/sync';
import { AppError } from '../app/errors.ts';
import { parseDecimal } from '../money/rate.ts';
import { parsePair, type RateInput } from './pricing.ts';

/**
 * Historical rates from CSV. Header names (any order, case-insensitive):
 * `date` (ISO date or date-time; a plain date means 16:00 Jakarta time, when JISDOR is
 * published), `pair` (CNY/IDR) or `base` + `quote`, `rate` (decimal point, no thousands
 * separators), and optional `source` (default: the one given for the file).
 * All or nothing: any bad line rejects the file with its line number.
 */
export function parseRatesCsv(text: string, defaultSource: string): RateInput[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError('validation_failed', `${line ? `Line ${line}: ` : ''}the CSV cannot be read: ${(err as Error).message}`, line ? { line } : {});
  }
  if (records.length === 0) throw new AppError('validation_failed', 'The CSV has no rows.');
  const columns = Object.keys(records[0]!);
  if (!columns.includes('date') || !columns.includes('rate') || !(columns.includes('pair') || (columns.includes('base') && columns.includes('quote')))) {
    throw new AppError('validation_failed', 'The CSV needs the columns date, rate and pair (or base and quote).');
  }
  return records.map((r, i) => {
    const line = i + 2; // header is line 1
    try {
      const [base, quote] = r.pair ? parsePair(r.pair.toUpperCase()) : parsePair(`${r.base?.toUpperCase()}/${r.quote?.toUpperCase()}`);
      const rate = r.rate ?? '';
      parseDecimal(rate);
      const date = r.date ?? '';
      const observedAt = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T16:00:00+07:00`) : new Date(date);
      if (Number.isNaN(observedAt.getTime())) throw new Error(`date ${JSON.stringify(date)} is not a date`);
      return { base, quote, rate, source: r.source || defaultSource, observedAt };
    } catch (err) {
      const message = err instanceof AppError ? (err.detail ?? err.message) : (err as Error).message;
      throw new AppError('validation_failed', `Line ${line}: ${message}`, { line });
    }
  });
}
