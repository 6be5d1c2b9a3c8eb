import { exponentOf, type CurrencyCode } from './currency.ts';

/**
 * Formats amounts for people, from minor units (string or bigint), with no floating
 * point anywhere: `Rp 1.234.567` (rupiah shown in whole units when there are no sen) and
 * `¥1,234.56` for yuan, the same in either UI language (`CN¥` where yuan must not be read as yen).
 * Works in the browser as well as on the server.
 */
export type DisplayLanguage = 'id' | 'en';

export interface FormatOptions {
  /** Use `CN¥` for yuan (e.g. next to Japanese-yen-looking contexts). */
  explicitYuan?: boolean;
  /** Always show the minor digits (e.g. in statements). */
  showMinor?: boolean;
}

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

export function formatMoney(minor: bigint | string, currency: CurrencyCode, language: DisplayLanguage, options: FormatOptions = {}): string {
  const value = typeof minor === 'bigint' ? minor : BigInt(minor);
  const exp = exponentOf(currency);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  const fraction = digits.slice(digits.length - exp);

  if (currency === 'IDR') {
    // Rupiah: Indonesian separators in both languages (it is how amounts appear on transfer slips).
    const showSen = options.showMinor || /[1-9]/.test(fraction);
    return `${negative ? '-' : ''}Rp ${group(whole, '.')}${showSen ? `,${fraction}` : ''}`;
  }
  // Yuan as on the 1688 invoice (¥1,234.56) in both languages; other currencies follow the UI language.
  const chinese = currency === 'CNY' || currency === 'CNH';
  const [thousands, decimal] = chinese || language === 'en' ? [',', '.'] : ['.', ','];
  const symbol = currency === 'CNY' ? (options.explicitYuan ? 'CN¥' : '¥') : currency === 'CNH' ? 'CNH ' : currency === 'USD' ? 'US$' : `${currency} `;
  return `${negative ? '-' : ''}${symbol}${group(whole, thousands)}${exp > 0 ? `${decimal}${fraction}` : ''}`;
}
