import { AppError } from '../app/errors.ts';
import { constantTimeEqual } from '../lib/tokens.ts';

export interface VirtualAccountRequest {
  /** Our deposit id: the gateway echoes it back in callbacks. */
  externalId: string;
  bankCode: string;
  customerName: string;
  /** Minor units (sen); gateways take whole rupiah. */
  amount: bigint;
  expiresAt: Date;
}

export interface VirtualAccount {
  bankCode: string;
  accountNumber: string;
  gatewayId: string;
}

/** A payment a gateway reports, after its origin was verified. */
export interface GatewayPaymentNotice {
  paymentId: string;
  externalId: string | null;
  accountNumber: string | null;
  /** Minor units (sen). */
  amount: bigint;
  paidAt: Date;
  payload: Record<string, unknown>;
}

/** A payment gateway that issues virtual accounts and calls back when they are paid. */
export interface PaymentGateway {
  readonly name: string;
  createVirtualAccount(request: VirtualAccountRequest): Promise<VirtualAccount>;
  /** Verifies the callback came from the gateway and reads it; throws an AppError otherwise. */
  readCallback(headers: Record<string, string | string[] | undefined>, body: unknown): GatewayPaymentNotice;
}

export interface XenditOptions {
  secretKey: string;
  callbackToken: string;
  apiUrl: string;
  fetch?: typeof fetch;
}

function field(body: Record<string, unknown>, name: string, pattern: RegExp): string {
  const v = body[name];
  if (typeof v !== 'string' || !pattern.test(v)) throw new AppError('validation_failed', `Callback field ${name} is missing or malformed.`);
  return v;
}

/**
 * Xendit's fixed virtual accounts (callback_virtual_accounts): a closed, single-use VA for
 * the exact amount due, and the "VA paid" callback, authenticated by the static
 * `x-callback-token` header that Xendit sends with every callback.
 */
export class XenditGateway implements PaymentGateway {
  readonly name = 'xendit';
  private readonly fetch: typeof fetch;

  constructor(private readonly options: XenditOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async createVirtualAccount(request: VirtualAccountRequest): Promise<VirtualAccount> {
    if (request.amount % 100n !== 0n) throw new AppError('validation_failed', 'Virtual accounts take whole rupiah.');
    const response = await this.fetch(`${this.options.apiUrl}/callback_virtual_accounts`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${this.options.secretKey}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        external_id: request.externalId,
        bank_code: request.bankCode,
        name: request.customerName.slice(0, 60),
        expected_amount: Number(request.amount / 100n),
        is_closed: true,
        is_single_use: true,
        expiration_date: request.expiresAt.toISOString(),
      }),
      signal: AbortSignal.timeout(15_000),
    }).catch((err: unknown) => {
      throw new AppError('gateway_unavailable', `Xendit did not answer: ${(err as Error).message}`);
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new AppError('gateway_unavailable', `Xendit refused the virtual account (${response.status} ${String(body.error_code ?? '')}).`);
    if (typeof body.account_number !== 'string' || typeof body.id !== 'string') throw new AppError('gateway_unavailable', 'Xendit answered without an account number.');
    return { bankCode: String(body.bank_code ?? request.bankCode), accountNumber: body.account_number, gatewayId: body.id };
  }

  readCallback(headers: Record<string, string | string[] | undefined>, body: unknown): GatewayPaymentNotice {
    const token = headers['x-callback-token'];
    if (typeof token !== 'string' || !constantTimeEqual(token, this.options.callbackToken)) throw new AppError('gateway_signature_invalid');
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 'The callback body must be a JSON object.');
    const b = body as Record<string, unknown>;
    const paymentId = field(b, 'payment_id', /^[\x21-\x7e]{1,100}$/);
    const externalId = field(b, 'external_id', /^[\x21-\x7e]{1,100}$/);
    const accountNumber = field(b, 'account_number', /^[0-9]{4,30}$/);
    const timestamp = field(b, 'transaction_timestamp', /^\d{4}-\d{2}-\d{2}T/);
    const amount = b.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) throw new AppError('validation_failed', 'Callback field amount must be a positive whole number of rupiah.');
    const paidAt = new Date(timestamp);
    if (Number.isNaN(paidAt.getTime())) throw new AppError('validation_failed', 'Callback field transaction_timestamp is not a date.');
    return { paymentId, externalId, accountNumber, amount: BigInt(amount) * 100n, paidAt, payload: b };
  }
}
