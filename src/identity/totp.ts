import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'Jembatan';
const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: PERIOD });
}

export function otpauthUrl(secretBase32: string, accountLabel: string): string {
  return totpFor(secretBase32, accountLabel).toString();
}

export function qrCodeSvgDataUrl(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(
    (svg) => `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  );
}

/**
 * Checks a code within ±1 step of clock drift and returns the time step it belongs to,
 * or null. A step at or below `lastUsedStep` is refused, so a code works only once.
 */
export function verifyTotp(secretBase32: string, code: string, lastUsedStep: bigint | null, now = Date.now()): bigint | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secretBase32).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = BigInt(TOTP.counter({ period: PERIOD, timestamp: now }) + delta);
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

/** The current code; used by the demo printout and by tests playing the authenticator app. */
export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}
