import QRCode from 'qrcode';
import type { Kysely } from 'kysely';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { keyValues, renderPdf } from '../documents/pdf.ts';
import type { QuoteView } from '../fx/quotes.ts';
import { formatMoney } from '../money/format.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { getPayee, getSupplier } from './payees.ts';
import { getOrder, installmentsOf } from './orders.ts';

type Lang = 'id' | 'en';

const PAYEE_KIND = { alipay: { id: 'Alipay', en: 'Alipay', zh: '支付宝' }, wechat: { id: 'WeChat Pay', en: 'WeChat Pay', zh: '微信支付' }, bank: { id: 'Rekening bank', en: 'Bank account', zh: '银行账户' } } as const;

/** Shows the start and end of an account, enough for a supplier to recognise it. */
export function maskAccount(account: string): string {
  if (account.includes('@')) {
    const [user, domain] = account.split('@');
    return `${user!.slice(0, 2)}***@${domain}`;
  }
  return account.length <= 8 ? `${account.slice(0, 2)}***${account.slice(-2)}` : `${account.slice(0, 4)} **** ${account.slice(-4)}`;
}

/** A name with its middle hidden: enough to recognise, not enough to copy. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 2) return `${chars[0]}*`;
  const keep = Math.max(1, Math.floor(chars.length / 3));
  return `${chars.slice(0, keep).join('')}${'*'.repeat(chars.length - keep * 2)}${chars.slice(-keep).join('')}`;
}

const jakarta = (d: Date) => `${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d).replace(',', '')} WIB`;
const money = (minor: bigint | string, cur: CurrencyCode, lang: Lang) => formatMoney(minor, cur, lang);

const LINE_LABEL: Record<string, { id: string; en: string }> = {
  reference_cost: { id: 'Kurs referensi × jumlah yuan', en: 'Reference rate × yuan amount' },
  spread: { id: 'Selisih kurs (spread)', en: 'FX spread' },
  service_fee: { id: 'Biaya layanan', en: 'Service fee' },
  rounding: { id: 'Pembulatan ke rupiah penuh', en: 'Rounding up to a whole rupiah' },
};

/** The importer's receipt: what was paid, at which rate, every rupiah, and the payout references. */
export async function orderReceiptPdf(db: Kysely<DB>, orderId: string, lang: Lang): Promise<Buffer> {
  const order = await getOrder(db, orderId);
  if (!order.quote_id) throw new AppError('invalid_state', 'The order has no quote yet: there is nothing to receipt.');
  const [supplier, payee, installments, quoteRow, customer, payouts] = await Promise.all([
    getSupplier(db, order.supplier_id),
    getPayee(db, order.payee_id),
    installmentsOf(db, order.id),
    db.selectFrom('quotes').select(['breakdown']).where('id', '=', order.quote_id).executeTakeFirstOrThrow(),
    db.selectFrom('customers').select(['name']).where('id', '=', order.customer_id).executeTakeFirstOrThrow(),
    db.selectFrom('payouts').selectAll().where('order_id', '=', order.id).where('status', '=', 'paid').orderBy('created_at').execute(),
  ]);
  const quote = quoteRow.breakdown as unknown as QuoteView;
  const orderLines = new Map<string, bigint>();
  for (const i of installments) for (const [code, v] of Object.entries(i.status === 'refunded' ? {} : (i.idr_lines ?? {}))) orderLines.set(code, (orderLines.get(code) ?? 0n) + BigInt(v));
  const t = (id: string, en: string) => (lang === 'id' ? id : en);
  return renderPdf({ title: `${t('Kuitansi', 'Receipt')} ${order.id}` }, (doc) => {
    doc.font('bold').fontSize(18).text(t('Kuitansi pembayaran pemasok', 'Supplier payment receipt'));
    doc.font('regular').fontSize(9).fillColor('#555555').text(`Jembatan · ${order.id}`).fillColor('#000000').moveDown();
    keyValues(doc, [
      [t('Pelanggan', 'Customer'), customer.name],
      [t('Pemasok (toko 1688)', 'Supplier (1688 store)'), `${supplier.store_name} — ${supplier.company_name}`],
      [t('Penerima', 'Payee'), `${PAYEE_KIND[payee.kind][lang]}: ${payee.holder_name}, ${maskAccount(payee.account)}${payee.bank_name ? `, ${payee.bank_name}` : ''}`],
      [t('Nomor pesanan 1688', '1688 order numbers'), order.order_numbers.join(', ')],
      [t('Jumlah ke pemasok', 'Amount to the supplier'), money(order.cny_amount, 'CNY', lang)],
      [t('Cara', 'Mode'), { direct: t('Langsung', 'Direct'), escrow: t('Escrow (ditahan)', 'Escrow (held)'), installments: t('Cicilan', 'Installments') }[order.mode]],
      [t('Status', 'Status'), order.status],
    ]);
    doc.moveDown(0.5).font('bold').fontSize(12).text(t('Rincian harga (dikunci oleh kutipan)', 'Price breakdown (locked by the quote)'));
    doc.moveDown(0.3);
    keyValues(doc, [
      [t('Kurs referensi', 'Reference rate'), `1 CNY = ${quote.reference.rate} IDR (${quote.reference.source}, ${jakarta(new Date(quote.reference.observedAt))})`],
      [t('Kurs platform', 'Platform rate'), `1 CNY = ${quote.platformRate} IDR`],
      // This order's own share of the quote (a batch's quote covers several orders), after any partial refund.
      ...quote.lines.map((l): [string, string] => [LINE_LABEL[l.code]?.[lang] ?? l.code, money(orderLines.get(l.code) ?? 0n, 'IDR', lang)]),
      [t('Total dibayar', 'Total paid'), money([...orderLines.values()].reduce((a, b) => a + b, 0n), 'IDR', lang)],
      [t('Kutipan', 'Quote'), `${quote.id}, ${t('dibuat', 'made')} ${jakarta(new Date(quote.createdAt))}`],
    ]);
    doc.moveDown(0.5).font('bold').fontSize(12).text(t('Pembayaran ke pemasok', 'Payments to the supplier'));
    doc.moveDown(0.3);
    keyValues(
      doc,
      installments.map((i): [string, string] => {
        const p = payouts.find((x) => x.installment_id === i.id);
        const label = installments.length > 1 ? `${t('Bagian', 'Part')} ${i.seq} (${i.percent}%)` : t('Pembayaran', 'Payment');
        return [label, `${money(i.cny_amount, 'CNY', lang)} = ${i.idr_amount === null ? '—' : money(i.idr_amount, 'IDR', lang)} · ${p ? `${t('dibayar', 'paid')} ${jakarta(p.decided_at ?? p.created_at)}, ref ${p.provider_reference}` : i.status}`];
      }),
    );
    doc.moveDown().fontSize(8).fillColor('#555555').text(t('Dokumen ini dibuat oleh sistem Jembatan. Semua jumlah tercatat di buku besar dan dapat diverifikasi.', 'This document is produced by the Jembatan system. Every amount is recorded in the ledger and can be verified.'));
  });
}

export interface ProofFacts {
  verificationCode: string;
  orderId: string;
  orderNumbers: string[];
  cny: bigint;
  paidAt: Date;
  reference: string;
  payeeKind: 'alipay' | 'wechat' | 'bank';
  holderName: string;
  account: string;
  bankName: string | null;
  supplierCompany: string;
  customerName: string;
  seq: number;
  parts: number;
}

export async function proofFacts(db: Kysely<DB>, payoutId: string): Promise<ProofFacts> {
  const payout = await db.selectFrom('payouts').selectAll().where('id', '=', payoutId).executeTakeFirst();
  if (!payout || payout.status !== 'paid') throw new AppError('not_found', 'No paid payout with this id.');
  const order = await getOrder(db, payout.order_id);
  const [payee, supplier, installments, customer] = await Promise.all([
    getPayee(db, order.payee_id),
    getSupplier(db, order.supplier_id),
    installmentsOf(db, order.id),
    db.selectFrom('customers').select(['name']).where('id', '=', order.customer_id).executeTakeFirstOrThrow(),
  ]);
  return {
    verificationCode: payout.verification_code,
    orderId: order.id,
    orderNumbers: order.order_numbers,
    cny: payout.cny_amount,
    paidAt: payout.decided_at ?? payout.created_at,
    reference: payout.provider_reference,
    payeeKind: payee.kind,
    holderName: payee.holder_name,
    account: payee.account,
    bankName: payee.bank_name,
    supplierCompany: supplier.company_name,
    customerName: customer.name,
    seq: installments.find((i) => i.id === payout.installment_id)?.seq ?? 1,
    parts: installments.length,
  };
}

/**
 * The payment proof the importer sends the supplier: 付款凭证 in Chinese with Indonesian
 * beside it, and a QR code to the public page that confirms it is genuine.
 */
export async function supplierProofPdf(facts: ProofFacts, verifyUrl: string): Promise<Buffer> {
  const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  return renderPdf({ title: `付款凭证 ${facts.orderId}`, subject: 'Payment proof / Bukti pembayaran' }, (doc) => {
    doc.font('bold').fontSize(22).text('付款凭证');
    doc.font('regular').fontSize(12).fillColor('#555555').text('Bukti Pembayaran · Payment Proof').fillColor('#000000').moveDown();
    const right = doc.page.width - doc.page.margins.right - 130;
    doc.image(qr, right, 48, { width: 130 });
    doc.fontSize(7).fillColor('#555555').text('扫码验证 · Pindai untuk verifikasi', right, 182, { width: 130, align: 'center' }).fillColor('#000000');
    doc.x = doc.page.margins.left;
    doc.y = 110;
    keyValues(
      doc,
      [
        ['付款金额 · Jumlah', formatMoney(facts.cny, 'CNY', 'en')],
        ['付款时间 · Waktu bayar', jakarta(facts.paidAt)],
        ['收款方 · Penerima', facts.holderName],
        ['收款账户 · Rekening', `${PAYEE_KIND[facts.payeeKind].zh} ${maskAccount(facts.account)}${facts.bankName ? ` · ${facts.bankName}` : ''}`],
        ['供应商 · Pemasok', facts.supplierCompany],
        ['1688订单号 · No. pesanan 1688', facts.orderNumbers.join(', ')],
        ['交易流水号 · Referensi transaksi', facts.reference],
        ...(facts.parts > 1 ? ([['分期 · Cicilan', `${facts.seq} / ${facts.parts}`]] as [string, string][]) : []),
        ['付款人 · Pembayar', `Jembatan (代付 · agen pembayaran) · ${facts.customerName}`],
        ['凭证编号 · Kode verifikasi', facts.verificationCode],
      ],
      { labelWidth: 190 },
    );
    doc.moveDown().fontSize(8).fillColor('#555555');
    doc.text('本凭证由 Jembatan 系统生成。扫描二维码或访问下方网址可核实真伪。', { width: right - doc.page.margins.left - 10 });
    doc.text('Bukti ini dibuat oleh sistem Jembatan. Pindai kode QR atau buka alamat di bawah untuk memastikan keasliannya.');
    doc.fillColor('#1a56db').text(verifyUrl, { link: verifyUrl });
  });
}

/** What the public verification page may say: genuine or not, with nothing private. */
export function publicVerification(facts: ProofFacts) {
  return {
    genuine: true,
    amount: { amount: facts.cny.toString(), currency: 'CNY' },
    paidAt: facts.paidAt.toISOString(),
    payee: maskName(facts.holderName),
    account: `${PAYEE_KIND[facts.payeeKind].en} ${maskAccount(facts.account)}`,
    orderNumbers: facts.orderNumbers.map((n) => (n.length > 6 ? `${n.slice(0, 3)}…${n.slice(-3)}` : n)),
    reference: facts.reference.length > 6 ? `…${facts.reference.slice(-6)}` : facts.reference,
  };
}
