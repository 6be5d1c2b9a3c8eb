/** Luhn (mod 10): the check digit of UnionPay cards, and of Jembatan's marking codes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The digit to append to `digits` so that the whole passes `luhnValid`. */
export function luhnCheckDigit(digits: string): number {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${digits}${d}`)) return d;
  throw new Error('unreachable');
}
