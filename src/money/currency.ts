/**
 * Currencies with their ISO 4217 exponents. Amounts are integers of minor units
 * (IDR has 2 by ISO, although rupiah are paid in whole units: see roundUpToWholeUnit).
 * CNH (offshore yuan) is its own code for balances held offshore, and pays out as CNY.
 */
export const CURRENCIES = {
  IDR: { code: 'IDR', exponent: 2, symbol: 'Rp', name: { id: 'Rupiah Indonesia', en: 'Indonesian rupiah' } },
  CNY: { code: 'CNY', exponent: 2, symbol: '¥', name: { id: 'Yuan Tiongkok', en: 'Chinese yuan' } },
  CNH: { code: 'CNH', exponent: 2, symbol: 'CNH¥', name: { id: 'Yuan luar negeri', en: 'Offshore yuan' } },
  USD: { code: 'USD', exponent: 2, symbol: 'US$', name: { id: 'Dolar AS', en: 'US dollar' } },
} as const;

export type CurrencyCode = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as CurrencyCode[];

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.prototype.hasOwnProperty.call(CURRENCIES, code);
}

export function currency(code: CurrencyCode) {
  return CURRENCIES[code];
}

export function exponentOf(code: CurrencyCode): number {
  return CURRENCIES[code].exponent;
}

/** The currency a payout actually moves in: offshore yuan is paid to suppliers as yuan. */
export function payoutCurrency(code: CurrencyCode): CurrencyCode {
  return code === 'CNH' ? 'CNY' : code;
}
