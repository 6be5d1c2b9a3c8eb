/**
 * Money and decimals in the UI, without floating point: what people type is turned into
 * minor units by string manipulation, and exact decimal strings from the API (rates,
 * percents) are shown in the UI language by moving digits around, never through Number.
 * Amounts themselves are formatted by the server's own formatter, shared with the browser.
 */
import { formatMoney } from '../../src/money/format.ts';
import type { Lang } from './i18n.ts';

export type CurrencyCode = 'IDR' | 'CNY' | 'CNH' | 'USD';

/** An amount as the API sends it: minor units as a string. */
export interface MoneyJson {
  amount: string;
  currency: CurrencyCode;
}

export function money(m: MoneyJson, lang: Lang): string {
  return formatMoney(m.amount, m.currency, lang);
}

export function moneyOf(minor: string | bigint, currency: CurrencyCode, lang: Lang): string {
  return formatMoney(minor, currency, lang);
}

/**
 * What a person typed ("1234.56", "1.234,56", "1,234.56", "Rp 5.000.000", "¥ 1 000") as a
 * string of minor units, or null when it is not an amount. Both "." and "," are accepted
 * as the decimal mark: when both appear, the last one is it; when one appears once and is
 * followed by at most `exponent` digits it is the decimal mark, otherwise it groups thousands.
 */
export function parseAmount(input: string, exponent = 2): string | null {
  const s = input.replace(/^\s*(rp\.?|idr|cny|rmb|¥|cn¥|us\$|usd)\s*/i, '').replace(/[\s\u00a0'’_]/g, '');
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let whole = s;
  let fraction = '';
  const splitAt = (i: number) => {
    whole = s.slice(0, i);
    fraction = s.slice(i + 1);
  };
  if (lastDot >= 0 && lastComma >= 0) {
    splitAt(Math.max(lastDot, lastComma));
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const count = s.split(mark).length - 1;
    const after = s.length - 1 - s.lastIndexOf(mark);
    if (count === 1 && after <= exponent) splitAt(s.lastIndexOf(mark));
  }
  // Grouping marks must separate groups of three digits.
  const groups = whole.split(/[.,]/);
  if (groups.length > 1 && (groups.slice(1).some((g) => g.length !== 3) || (groups[0] ?? '') === '')) return null;
  const digits = groups.join('');
  if (!/^[0-9]*$/.test(digits) || !/^[0-9]*$/.test(fraction)) return null;
  if (fraction.length > exponent) return null;
  if (digits === '' && fraction === '') return null;
  const minor = (digits + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (minor.length > 18) return null;
  return minor === '' ? '0' : minor;
}

/** Minor units back to what an input shows ("1234.56"; whole units without ".00"). */
export function minorToInput(minor: string, exponent = 2): string {
  const digits = minor.replace(/^0+(?=\d)/, '').padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A typed decimal ("7,5", "2300.50", "2.300,5") as the API's plain decimal ("7.5"), or null. */
export function parseDecimalInput(input: string): string | null {
  const s = input.trim().replace(/[\s\u00a0%]/g, '');
  if (/^[0-9]+([.,][0-9]+)?$/.test(s)) return s.replace(',', '.');
  // With thousands separators: the last mark is the decimal one.
  const m = /^([0-9]{1,3}(?:([.,])[0-9]{3})*)(?:([.,])([0-9]+))?$/.exec(s);
  if (m && m[2] && m[3] && m[2] !== m[3]) return `${m[1]!.split(m[2]).join('')}.${m[4]}`;
  return null;
}

function groupDigits(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * An exact decimal string ("2316.83", "-0.5", "1.2") in the UI language: `2.316,83` / `2,316.83`.
 * `minFraction` pads, `maxFraction` rounds half up (by digits, not by float).
 */
export function formatDecimal(value: string, lang: Lang, opts: { minFraction?: number; maxFraction?: number } = {}): string {
  const m = /^(-?)([0-9]*)(?:\.([0-9]*))?$/.exec(value.trim());
  if (!m) return value;
  const negative = m[1] === '-';
  let whole = m[2] || '0';
  let fraction = m[3] ?? '';
  if (opts.maxFraction !== undefined && fraction.length > opts.maxFraction) {
    const keep = opts.maxFraction;
    const roundUp = (fraction[keep] ?? '0') >= '5';
    let n = BigInt(whole + fraction.slice(0, keep));
    if (roundUp) n += 1n;
    const s = n.toString().padStart(keep + 1, '0');
    whole = s.slice(0, s.length - keep);
    fraction = s.slice(s.length - keep);
  }
  fraction = fraction.replace(/0+$/, '');
  if (opts.minFraction !== undefined) fraction = fraction.padEnd(opts.minFraction, '0');
  const [thousands, decimal] = lang === 'id' ? ['.', ','] : [',', '.'];
  const isZero = /^0*$/.test(whole + fraction);
  return `${negative && !isZero ? '-' : ''}${groupDigits(whole.replace(/^0+(?=\d)/, ''), thousands)}${fraction ? decimal + fraction : ''}`;
}

/** "1.2" → "1,2 %" in Indonesian, "1.2%" in English. */
export function formatPercent(value: string, lang: Lang, opts: { minFraction?: number; maxFraction?: number } = {}): string {
  const n = formatDecimal(value, lang, { maxFraction: 4, ...opts });
  return lang === 'id' ? `${n}\u00a0%` : `${n}%`;
}

/** "1000" → "USD 1.000" / "USD 1,000". */
export function formatUsd(value: string, lang: Lang): string {
  return `USD\u00a0${formatDecimal(value, lang, { maxFraction: 2 })}`;
}

const PAIR_SYMBOL: Record<string, string> = { IDR: 'Rp', CNY: '¥', USD: 'US$' };

/** A rate as a sentence-sized fact: "¥1 = Rp 2.316,83". */
export function formatRate(pair: string, rate: string, lang: Lang, maxFraction?: number): string {
  const [base = '', quote = ''] = pair.split('/');
  const number = formatDecimal(rate, lang, maxFraction === undefined ? {} : { maxFraction });
  const b = PAIR_SYMBOL[base] ?? `${base} `;
  const q = PAIR_SYMBOL[quote];
  const left = b === 'Rp' ? 'Rp 1' : `${b}1`;
  const right = q === 'Rp' ? `Rp ${number}` : q ? `${q}${number}` : `${number} ${quote}`;
  return `${left} = ${right}`;
}

/** Is `a` (a minor-units string, maybe negative) below zero? */
export function isNegative(minor: string): boolean {
  return minor.trim().startsWith('-') && /[1-9]/.test(minor);
}

/** The absolute value of a minor-units string. */
export function absMinor(minor: string): string {
  return minor.trim().replace(/^-/, '');
}
