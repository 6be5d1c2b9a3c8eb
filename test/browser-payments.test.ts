/**
 * Payments in real Chromium against the real platform (in-process, ephemeral port, fresh
 * PGlite data directory with the demo data): the importer adds a supplier and a Chinese
 * bank payee (the server's field errors beside the field), creates payment orders in the
 * wizard, gets and accepts a quote and pays from the wallet; the payout desk claims and
 * records the payout with a PNG proof (a second operator's claim is refused with who holds
 * it); an escrow order is released by the importer and, above a lowered threshold, approved
 * by finance; a personal account for a company store stops the desk until compliance clears
 * the flag; finance records yuan bought for a float. Real clicks and typing; the API is
 * called directly only to learn the figures the page must show.
 */
import type { Locator, Page } from 'playwright-core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { currentTotp } from '../src/identity/totp.ts';
import { createUser } from '../src/identity/users.ts';
import { formatMoney } from '../src/money/format.ts';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { browserTestsEnabled, PHONE, useBrowserPlatform } from './support/browser.ts';

const runBrowserTests = browserTestsEnabled('browser-payments.test');

type Money = { amount: string; currency: 'IDR' | 'CNY' };
interface QuoteJson {
  id: string;
  expiresAt: string;
  cny: Money;
  lines: { code: string; amount: Money }[];
  total: Money;
}
interface OrderJson {
  order: { id: string; status: string; cny: Money; idrTotal: Money | null; quoteId: string | null; mode: string; orderNumbers: string[]; invoiceDocumentId: string | null };
  installments: { id: string; status: string; cny: Money; idr: Money | null }[];
  transitions: { to: string }[];
  riskFlags: { id?: string; code: string; severity: string; status: string }[];
  payouts: { id: string; providerReference: string; proofDocumentId: string | null; status: string }[];
}
interface QueueJson {
  sla: { targetMinutes: number };
  floats: { id: string; code: string; name: string; available: Money }[];
  items: { installmentId: string; orderId: string; sla: string; minutesWaiting: number; blocked: boolean; suggestedFloatId: string | null; payee: { account: string; holderName: string; bankName: string | null; cnapsCode: string | null }; flags: { code: string }[] }[];
}
interface SuppliersJson {
  suppliers: { id: string; storeName: string; companyName: string; payees: { id: string; kind: string; account: string; holderName: string; bankName: string | null; bankBranch: string | null; cnapsCode: string | null; detailsChangedAt: string | null }[] }[];
}

const rp = (m: Money | bigint) => formatMoney(typeof m === 'bigint' ? m : m.amount, 'IDR', 'id');
const yuan = (m: Money | bigint) => formatMoney(typeof m === 'bigint' ? m : m.amount, 'CNY', 'id');
const minor = (m: Money) => BigInt(m.amount);
/** 1×1 PNG, a real image for the content check. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const STORE = 'Xingchen Official Store';
const COMPANY = '义乌市星辰贸易有限公司';
const CARD = '6222021001123456789'; // UnionPay, passes Luhn
const CNAPS = '102338000012';

describe.runIf(runBrowserTests)('payments in Chromium', { timeout: 300_000 }, () => {
  const harness = useBrowserPlatform('jbt-browser-payments-');
  let importer: { page: Page; errors: string[] };
  let ops: { page: Page; errors: string[] };
  let finance: { page: Page; errors: string[] };
  let directOrderId: string;
  let escrowOrderId: string;
  let lateOrderId: string;

  async function text(scope: Page | Locator, testId: string): Promise<string> {
    return ((await scope.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The API as the signed-in user of `page` (same cookies; the CSRF token for writes). */
  async function apiGet<T>(page: Page, path: string): Promise<T> {
    const res = await page.request.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }

  async function apiPost(page: Page, path: string, body: unknown) {
    const { csrfToken } = await apiGet<{ csrfToken: string }>(page, '/api/auth/session');
    const res = await page.request.post(path, { data: body, headers: { 'x-csrf-token': csrfToken } });
    return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
  }

  async function walletAvailable(page: Page): Promise<Money> {
    const w = (await apiGet<{ wallets: { currency: string; balance: { available: Money } }[] }>(page, '/api/wallet')).wallets.find((x) => x.currency === 'IDR');
    return w!.balance.available;
  }

  async function staffLogin(email: string, module: string) {
    const opened = await harness.openPage();
    const { page } = opened;
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByLabel('Kode verifikasi').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await page.getByTestId('staff-console').waitFor();
    await page.getByTestId('main-nav').getByRole('link', { name: module, exact: true }).click();
    await page.getByRole('heading', { name: module, level: 1 }).waitFor();
    return opened;
  }

  function orderDetail(page: Page) {
    return page.getByTestId('order-detail');
  }

  async function waitForStatus(page: Page, status: string) {
    await expect.poll(() => orderDetail(page).getAttribute('data-status'), { timeout: 20_000 }).toBe(status);
  }

  /** Wizard steps 3–4 (amount, numbers, note, mode) from a chosen payee; returns the new order's id. */
  async function fillDetailsAndCreate(page: Page, opts: { amount: string; numbers: string[]; note?: string; mode: 'Langsung' | 'Escrow'; invoice?: boolean; shot?: string }) {
    const wizard = page.getByTestId('order-wizard');
    await wizard.getByTestId('order-amount').fill(opts.amount);
    for (const [i, n] of opts.numbers.entries()) {
      if (i > 0) await wizard.getByTestId('order-number-add').click();
      await wizard.getByTestId('order-number').nth(i).fill(n);
    }
    if (opts.note) await wizard.getByLabel('Catatan untuk pemasok').fill(opts.note);
    if (opts.invoice) {
      await wizard.getByTestId('invoice-file').setInputFiles({ name: 'invoice-星辰.png', mimeType: 'image/png', buffer: PNG_1X1 });
      await wizard.getByTestId('invoice-uploaded').getByText('invoice-星辰.png terunggah.').waitFor();
    }
    await wizard.getByTestId('wizard-next').click();
    await wizard.getByTestId('order-mode').getByText(opts.mode, { exact: true }).click();
    await wizard.getByTestId('wizard-summary').waitFor();
    if (opts.shot) await harness.shot(page, opts.shot);
    await wizard.getByTestId('wizard-create').click();
    await waitForStatus(page, 'draft');
    return (await orderDetail(page).getAttribute('data-order'))!;
  }

  /** Steps 5 and 6 on the order page: quote (every line checked against the API's answer), accept, pay from the wallet. */
  async function quoteAcceptAndPay(page: Page, orderId: string, shotPrefix?: string, method: 'wallet' | 'bank' = 'wallet'): Promise<QuoteJson> {
    const panel = page.getByTestId('fund-panel');
    const quoted = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/quotes' && r.request().method() === 'POST');
    await panel.getByTestId('fund-quote').click();
    const quote = (await (await quoted).json()) as QuoteJson;
    const order = await apiGet<OrderJson>(page, `/api/payment-orders/${orderId}`);
    expect(quote.cny).toEqual(order.order.cny);
    await panel.getByTestId('quote-result').waitFor();
    expect(await text(panel, 'quote-total')).toBe(rp(quote.total));
    for (const line of quote.lines) {
      const cell = panel.getByTestId('quote-breakdown').locator(`tr[data-line="${line.code}"] td`);
      expect(((await cell.textContent()) ?? '').trim(), line.code).toBe(rp(line.amount));
    }
    expect(quote.lines.map((l) => l.code)).toEqual(expect.arrayContaining(['reference_cost', 'spread', 'service_fee']));
    expect(quote.lines.reduce((s, l) => s + minor(l.amount), 0n)).toBe(minor(quote.total));
    expect(((await panel.getByTestId('quote-breakdown').locator('tr[data-line="total"] td').textContent()) ?? '').trim()).toBe(rp(quote.total));
    await expect.poll(() => text(panel, 'quote-lock')).toMatch(/^Harga terkunci \d{1,2}:\d\d$/);
    await expect(panel.getByTestId('bank-comparison').count()).resolves.toBe(0);
    if (shotPrefix) await harness.shot(page, `${shotPrefix}-quote`);

    const accepting = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/quotes/accept');
    await panel.getByTestId('fund-accept').click();
    const accepted = (await (await accepting).json()) as { quote: QuoteJson };
    expect(accepted.quote.id).toBe(quote.id);
    expect(accepted.quote.total).toEqual(quote.total);
    const pay = panel.getByTestId('fund-pay');
    await pay.waitFor();
    await pay.getByText(`Kutipan ${quote.id} diterima dan terkunci.`).waitFor();
    if (method === 'bank') {
      await pay.getByTestId('fund-method').getByText('Transfer bank').click();
      await pay.getByText(`Anda mendapat rekening tujuan dan jumlah unik untuk ${rp(quote.total)}`).waitFor();
      if (shotPrefix) await harness.shot(page, `${shotPrefix}-pay`);
      await pay.getByTestId('fund-pay-bank').click();
      await expect.poll(() => orderDetail(page).getAttribute('data-status')).toBe('awaiting_funds');
      return quote;
    }
    const available = await walletAvailable(page);
    await expect.poll(() => text(pay, 'fund-wallet-available')).toBe(rp(available));
    expect(await text(pay, 'fund-total')).toBe(rp(quote.total));
    expect(await text(pay, 'fund-wallet-after')).toBe(rp(minor(available) - minor(quote.total)));
    await expect(pay.getByTestId('fund-pay-wallet').isEnabled()).resolves.toBe(true);
    if (shotPrefix) await harness.shot(page, `${shotPrefix}-pay`);
    await pay.getByTestId('fund-pay-wallet').click();
    await expect.poll(() => orderDetail(page).getAttribute('data-status')).not.toBe('draft');
    // Exactly what was quoted left the wallet's available balance.
    expect(minor(await walletAvailable(page))).toBe(minor(available) - minor(quote.total));
    return quote;
  }

  it('importer: adds a supplier and a Chinese bank payee; the server refuses a mistyped card beside the field; editing warns', async () => {
    importer = await harness.openPage();
    const { page } = importer;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.platform().url });
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(DEMO_IMPORTER.email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByTestId('importer-portal').waitFor();
    await page.getByTestId('main-nav').getByRole('link', { name: 'Pesanan pembayaran' }).click();
    await page.getByRole('heading', { name: 'Pembayaran', level: 1 }).waitFor();
    await page.getByTestId('orders-card').getByText('Belum ada pesanan pembayaran.').waitFor();

    await page.getByTestId('tab-suppliers').click();
    await page.getByTestId('suppliers-card').getByText('Belum ada pemasok').waitFor();
    await page.getByTestId('supplier-add').click();
    const sform = page.getByTestId('supplier-form');
    await sform.getByLabel('Nama toko 1688').fill(STORE);
    await sform.getByLabel('Nama perusahaan').fill(COMPANY);
    await sform.getByRole('button', { name: 'Simpan pemasok' }).click();
    const card = page.getByTestId('supplier').filter({ hasText: STORE });
    await card.getByText(COMPANY).waitFor();
    await page.getByText(`Pemasok ${STORE} ditambahkan.`).waitFor();

    await card.getByTestId('payee-add').click();
    const pform = card.getByTestId('payee-form');
    await pform.getByTestId('payee-kind').getByText('Bank Tiongkok').click();
    // One digit wrong: the UnionPay check digit fails; the server's words show beside the account field.
    const typo = '6222021001123456784';
    await pform.getByLabel('Nomor rekening / kartu').fill(typo);
    await pform.getByLabel('Nama pemilik rekening').fill(COMPANY);
    await pform.getByLabel('Nama bank').fill('中国工商银行');
    await pform.getByLabel('Cabang').fill('义乌分行');
    await pform.getByLabel('Kode CNAPS').fill(CNAPS);
    await pform.getByRole('button', { name: 'Simpan penerima' }).click();
    const refused = await apiPost(page, '/api/payees', { supplierId: (await apiGet<SuppliersJson>(page, '/api/suppliers')).suppliers[0]!.id, kind: 'bank', account: typo, holderName: COMPANY, bankName: '中国工商银行' });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('account');
    await expect.poll(() => text(pform, 'error-account')).toBe(String(refused.body.detail));
    expect(String(refused.body.detail)).toMatch(/check digit/);
    await expect(pform.getByLabel('Nomor rekening / kartu').getAttribute('aria-invalid')).resolves.toBe('true');
    await pform.getByTestId('payee-form-error').getByText('Periksa kolom yang ditandai.').waitFor();
    await harness.shot(page, 'payments-payee-field-error');
    // A Latin holder name for a Chinese bank account: refused on the holder field.
    await pform.getByLabel('Nomor rekening / kartu').fill(CARD.replace(/(\d{4})(?=\d)/g, '$1 '));
    await pform.getByLabel('Nama pemilik rekening').fill('Xingchen Trading');
    await pform.getByRole('button', { name: 'Simpan penerima' }).click();
    await pform.getByTestId('error-holderName').getByText('Chinese characters').waitFor();
    await expect(pform.getByTestId('error-account').count()).resolves.toBe(0);
    await pform.getByLabel('Nama pemilik rekening').fill(COMPANY);
    await pform.getByRole('button', { name: 'Simpan penerima' }).click();
    await card.getByText(`Penerima ${CARD} disimpan.`).waitFor();

    const saved = (await apiGet<SuppliersJson>(page, '/api/suppliers')).suppliers.find((s) => s.storeName === STORE)!;
    expect(saved.companyName).toBe(COMPANY);
    expect(saved.payees).toHaveLength(1);
    expect(saved.payees[0]).toMatchObject({ kind: 'bank', account: CARD, holderName: COMPANY, bankName: '中国工商银行', bankBranch: '义乌分行', cnapsCode: CNAPS, detailsChangedAt: null });
    const row = card.locator(`[data-payee="${saved.payees[0]!.id}"]`);
    expect(await text(row, 'payee-account')).toBe(CARD);
    expect(await text(row, 'payee-holder')).toBe(COMPANY);
    await row.getByText(`中国工商银行 · 义乌分行 · CNAPS ${CNAPS}`).waitFor();

    // Editing warns that changed details are checked; only the branch changes here, so nothing is flagged.
    await row.getByTestId('payee-edit').click();
    const eform = card.getByTestId('payee-form');
    await eform.getByTestId('payee-edit-warning').getByText('ditahan sampai tim kepatuhan memeriksanya').waitFor();
    await expect(eform.getByLabel('Nomor rekening / kartu').inputValue()).resolves.toBe(CARD);
    await eform.getByLabel('Cabang').fill('义乌稠州分行');
    await harness.shot(page, 'payments-payee-edit');
    await eform.getByRole('button', { name: 'Simpan perubahan' }).click();
    await card.getByText(`Rincian penerima ${CARD} diubah.`).waitFor();
    const edited = (await apiGet<SuppliersJson>(page, '/api/suppliers')).suppliers.find((s) => s.storeName === STORE)!.payees[0]!;
    expect(edited).toMatchObject({ bankBranch: '义乌稠州分行', detailsChangedAt: null });
    await row.getByText('义乌稠州分行', { exact: false }).waitFor();
    await harness.shot(page, 'payments-suppliers');
    expect(importer.errors).toEqual([]);
  });

  it('importer: a direct order of ¥1,000 in the wizard, quoted line by line, accepted and paid from the wallet; the page shows the total the API stored', async () => {
    const { page } = importer;
    await page.getByTestId('new-order-action').click();
    const wizard = page.getByTestId('order-wizard');
    await wizard.getByTestId('wizard-steps').locator('li[aria-current="step"]').getByText('Pemasok').waitFor();
    // Nothing chosen: the wizard says so instead of moving on.
    await wizard.getByTestId('wizard-next').click();
    await wizard.getByTestId('wizard-invalid').getByText('Pilih pemasok').waitFor();
    await wizard.getByTestId('supplier-choice').filter({ hasText: STORE }).click();
    await wizard.getByTestId('wizard-next').click();
    await wizard.getByTestId('payee-choice').filter({ hasText: CARD }).click();
    await harness.shot(page, 'payments-wizard-payee');
    await wizard.getByTestId('wizard-next').click();
    // A bad order number is caught before the server.
    await wizard.getByTestId('order-amount').fill('1000');
    await wizard.getByTestId('order-number').first().fill('33 12');
    await wizard.getByTestId('wizard-next').click();
    await wizard.getByTestId('wizard-invalid').getByText('Nomor pesanan "33 12" tidak valid').waitFor();
    await wizard.getByTestId('order-number').first().fill('');
    directOrderId = await fillDetailsAndCreate(page, { amount: '1.000', numbers: ['3312456789012345', '3312456789012346'], note: '付款：订单 3312456789012345', mode: 'Langsung', invoice: true, shot: 'payments-wizard-summary' });
    expect(directOrderId).toMatch(/^po_/);
    expect(new URL(page.url()).pathname).toBe(`/payment-orders/${directOrderId}`);
    const draft = await apiGet<OrderJson>(page, `/api/payment-orders/${directOrderId}`);
    expect(draft.order).toMatchObject({ status: 'draft', cny: { amount: '100000', currency: 'CNY' }, mode: 'direct', orderNumbers: ['3312456789012345', '3312456789012346'], idrTotal: null });
    expect(draft.order.invoiceDocumentId).toBeTruthy();
    expect(await text(page, 'order-cny')).toBe(yuan(draft.order.cny));
    expect(await text(page, 'order-cny')).toBe('¥1,000.00');
    await page.getByTestId('fund-panel').getByTestId('wizard-steps').locator('li[aria-current="step"]').getByText('Kutipan & bayar').waitFor();

    const quote = await quoteAcceptAndPay(page, directOrderId, 'payments-order');
    await waitForStatus(page, 'queued');
    const funded = await apiGet<OrderJson>(page, `/api/payment-orders/${directOrderId}`);
    expect(funded.order.quoteId).toBe(quote.id);
    expect(funded.order.idrTotal).toEqual(quote.total);
    await expect.poll(() => text(page, 'order-idr-total')).toBe(rp(funded.order.idrTotal!));
    const parts = orderDetail(page).getByTestId('part-row');
    await expect(parts.count()).resolves.toBe(1);
    expect(await text(parts.first(), 'part-cny')).toBe(yuan(funded.installments[0]!.cny));
    expect(await text(parts.first(), 'part-idr')).toBe(rp(funded.installments[0]!.idr!));
    await parts.first().getByTestId('part-status').getByText('Dalam antrean').waitFor();
    await expect(page.getByTestId('risk-hold').count()).resolves.toBe(0);
    await expect.poll(async () => (await orderDetail(page).getByTestId('timeline-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-to')))).join(',')).toBe(funded.transitions.map((t) => t.to).join(','));
    await harness.shot(page, 'payments-order-queued');

    // The orders list: status badge and the stored figures.
    await page.getByRole('link', { name: '← Semua pesanan' }).click();
    const listRow = page.getByTestId('orders-table').locator(`tr[data-order="${directOrderId}"]`);
    await listRow.getByTestId('order-status').getByText('Dalam antrean').waitFor();
    expect(await text(listRow, 'row-cny')).toBe('¥1,000.00');
    expect(await text(listRow, 'row-idr')).toBe(rp(quote.total));
    await harness.shot(page, 'payments-orders');
    expect(importer.errors).toEqual([]);
  });

  it('payout desk: the payee laid out for copying, the SLA badge, the floats; a second operator is told who holds the claim; recorded with a PNG proof; the importer sees it paid', async () => {
    ops = await staffLogin('ops@demo.jembatan.id', 'Antrean pembayaran');
    const { page } = ops;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.platform().url });
    const queue = await apiGet<QueueJson>(page, '/api/staff/payouts/queue');
    const apiItem = queue.items.find((i) => i.orderId === directOrderId)!;
    expect(apiItem).toMatchObject({ sla: 'ok', blocked: false, payee: { account: CARD, holderName: COMPANY, bankName: '中国工商银行', cnapsCode: CNAPS } });
    const icbc = queue.floats.find((f) => f.code.includes('icbc'))!;
    expect(apiItem.suggestedFloatId).toBe(icbc.id);
    for (const f of queue.floats) expect(await text(page.locator(`[data-testid="float-tile"][data-float="${f.code}"]`), 'float-available')).toBe(yuan(f.available));

    const item = page.locator(`[data-testid="desk-item"][data-order="${directOrderId}"]`);
    await item.waitFor();
    expect(await text(item, 'desk-amount')).toBe('¥1,000.00');
    await expect(item.getByTestId('sla-badge').getAttribute('data-sla')).resolves.toBe('ok');
    expect(await text(item, 'sla-badge')).toBe(`Sesuai SLA · ${apiItem.minutesWaiting} mnt / ${queue.sla.targetMinutes} mnt`);
    expect(await text(item, 'payee-account')).toBe(CARD);
    expect(await text(item, 'payee-holder')).toBe(COMPANY);
    expect(await text(item, 'payee-bank')).toBe('中国工商银行');
    expect(await text(item, 'payee-cnaps')).toBe(CNAPS);
    expect(await text(item, 'payee-amount')).toBe('1000');
    expect(await text(item, 'desk-note')).toBe('付款：订单 3312456789012345');
    await item.getByTestId('order-numbers').getByText('3312456789012346').waitFor();
    await item.getByTestId('desk-flags').locator('[data-code="new_payee"]').getByText('Penerima baru').waitFor();
    await item.getByTestId('copy-payee-account').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(CARD);
    await item.getByTestId('copy-payee-holder').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(COMPANY);
    await harness.shot(page, 'payments-desk');

    // A second operator has the queue open when the first claims.
    const email = `oki2.${Date.now().toString(36)}@demo.jembatan.id`;
    const db = harness.platform().ctx.database.db;
    await db.transaction().execute(async (tx) => {
      const u = await createUser(tx, systemActor, { email, password: DEMO_PASSWORD, name: 'Oki Kedua', role: 'ops' });
      await tx.updateTable('users').set({ totp_secret_enc: harness.platform().ctx.secrets.seal(DEMO_TOTP_SECRET), totp_enabled_at: sql<Date>`now()` }).where('id', '=', u.id).execute();
    });
    const ops2 = await staffLogin(email, 'Antrean pembayaran');
    const item2 = ops2.page.locator(`[data-testid="desk-item"][data-order="${directOrderId}"]`);
    await item2.getByTestId('desk-claim').waitFor();

    await item.getByTestId('desk-claim').click();
    const form = item.getByTestId('record-form');
    await form.waitFor();
    const me = (await apiGet<{ user: { id: string } }>(page, '/api/auth/session')).user.id;
    await item2.getByTestId('desk-claim').click();
    await item2.getByTestId('desk-claim-conflict').getByText(`Diambil oleh ${me}.`).waitFor();
    await item2.getByText('Sudah diambil operator lain').waitFor();
    await item2.getByTestId('desk-claimed-by').getByText(me).waitFor();
    await expect(item2.getByTestId('desk-claim').count()).resolves.toBe(0);
    await harness.shot(ops2.page, 'payments-desk-claim-conflict');
    expect(ops2.errors).toEqual([]);

    // The record form: the suggested float, the exact amount, the reference and a proof.
    await expect(form.getByTestId('record-float').inputValue()).resolves.toBe(icbc.id);
    await expect(form.getByTestId('record-amount').inputValue()).resolves.toBe('1000');
    await form.getByTestId('record-amount').fill('999.99');
    await form.getByTestId('record-reference').fill('ICBC-20261123-000981');
    await form.getByTestId('record-submit').click();
    await form.getByTestId('record-invalid').getByText('harus tepat ¥1,000.00').waitFor();
    await form.getByTestId('record-amount').fill('1000');
    await form.getByTestId('record-submit').click();
    await form.getByTestId('record-invalid').getByText('Lampirkan bukti pembayaran.').waitFor();
    await form.getByTestId('record-proof').setInputFiles({ name: '付款凭证.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await form.getByTestId('record-proof-name').getByText('付款凭证.png').waitFor();
    await harness.shot(page, 'payments-desk-record');
    await form.getByTestId('record-submit').click();
    await page.getByTestId('desk-notice').getByText('¥1,000.00 dicatat dibayar (ref ICBC-20261123-000981)').waitFor();
    await expect.poll(() => item.count()).toBe(0);
    const paid = await apiGet<OrderJson>(page, `/api/staff/payments/orders/${directOrderId}`);
    expect(paid.order.status).toBe('paid');
    expect(paid.payouts[0]).toMatchObject({ providerReference: 'ICBC-20261123-000981', status: 'paid' });
    // The proof uploaded from the form is the stored document, byte for byte.
    const stored = await page.request.get(`/api/documents/${paid.payouts[0]!.proofDocumentId}`);
    expect(stored.status()).toBe(200);
    expect(Buffer.from(await stored.body()).equals(PNG_1X1)).toBe(true);
    const afterFloat = (await apiGet<QueueJson>(page, '/api/staff/payouts/queue')).floats.find((f) => f.id === icbc.id)!;
    expect(minor(afterFloat.available)).toBe(minor(icbc.available) - 100_000n);
    await expect.poll(() => text(page.locator(`[data-testid="float-tile"][data-float="${icbc.code}"]`), 'float-available')).toBe(yuan(afterFloat.available));

    // The importer's page follows by itself: paid, the timeline, the reference and the proof.
    const ipage = importer.page;
    await ipage.getByTestId('orders-table').locator(`tr[data-order="${directOrderId}"]`).getByTestId('order-open').click();
    await waitForStatus(ipage, 'paid');
    const mine = await apiGet<OrderJson>(ipage, `/api/payment-orders/${directOrderId}`);
    expect(mine.transitions.map((t) => t.to)).toEqual(['draft', 'funded', 'queued', 'in_payout', 'paid']);
    await expect.poll(async () => (await orderDetail(ipage).getByTestId('timeline-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-to')))).join(',')).toBe('draft,funded,queued,in_payout,paid');
    await orderDetail(ipage).getByTestId('timeline').getByText('dibayar, ref ICBC-20261123-000981').waitFor();
    const payout = orderDetail(ipage).getByTestId('payout-row');
    expect(await text(payout, 'payout-reference')).toBe('ICBC-20261123-000981');
    // The operator's own proof file is linked when the API gives it to the importer.
    const proofId = mine.payouts[0]!.proofDocumentId;
    if (proofId) {
      const href = await payout.getByTestId('payout-proof').getAttribute('href');
      expect(href).toBe(`/api/documents/${proofId}`);
      const proof = await ipage.request.get(href!);
      expect(Buffer.from(await proof.body()).equals(PNG_1X1)).toBe(true);
    } else {
      await expect(payout.getByTestId('payout-proof').count()).resolves.toBe(0);
    }
    await orderDetail(ipage).getByTestId('part-status').getByText('Dibayar').waitFor();
    // The receipt and the supplier's proof (PDFs from the server).
    const receipt = await ipage.request.get((await ipage.getByTestId('order-receipt').getAttribute('href'))!);
    expect(receipt.status()).toBe(200);
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    expect((await receipt.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const supplierProof = await ipage.request.get((await payout.getByTestId('payout-supplier-proof').getAttribute('href'))!);
    expect(supplierProof.status()).toBe(200);
    expect(supplierProof.headers()['content-type']).toBe('application/pdf');
    await harness.shot(ipage, 'payments-order-paid');

    // The goods arrived: the importer completes the order (the button asks once more).
    await ipage.getByTestId('order-complete').click();
    await ipage.getByRole('button', { name: 'Yakin?' }).click();
    await waitForStatus(ipage, 'completed');
    expect((await apiGet<OrderJson>(ipage, `/api/payment-orders/${directOrderId}`)).order.status).toBe('completed');
    await expect(ipage.getByTestId('order-cancel').count()).resolves.toBe(0);

    // In English the labels change, the figures stay.
    await ipage.getByTestId('lang-en').click();
    await ipage.getByRole('heading', { name: 'Status history' }).waitFor();
    await orderDetail(ipage).getByTestId('order-status').first().getByText('Completed').waitFor();
    expect(await text(ipage, 'order-idr-total')).toBe(rp(mine.order.idrTotal!));
    await ipage.getByTestId('lang-id').click();
    await ipage.getByRole('heading', { name: 'Riwayat status' }).waitFor();
    expect(ops.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('escrow: held until the importer releases it; above a lowered threshold the payout waits for finance, who approves it', async () => {
    const { page } = importer;
    await page.goto('/payment-orders?tab=suppliers');
    const card = page.getByTestId('supplier').filter({ hasText: STORE });
    await card.getByTestId('payee-pay').click();
    // From the payee's "Pay" link the wizard starts at the details.
    await page.getByTestId('order-wizard').getByTestId('wizard-steps').locator('li[aria-current="step"]').getByText('Rincian').waitFor();
    escrowOrderId = await fillDetailsAndCreate(page, { amount: '2000', numbers: ['3318800000000001'], mode: 'Escrow' });
    await quoteAcceptAndPay(page, escrowOrderId);
    await waitForStatus(page, 'held');
    const held = await apiGet<OrderJson>(page, `/api/payment-orders/${escrowOrderId}`);
    expect(held.order.status).toBe('held');
    await orderDetail(page).getByTestId('part-status').getByText('Ditahan').waitFor();
    await harness.shot(page, 'payments-escrow-held');
    // Held money is not on the desk.
    await ops.page.getByTestId('desk-refresh').click();
    await expect.poll(() => ops.page.locator(`[data-testid="desk-item"][data-order="${escrowOrderId}"]`).count()).toBe(0);

    // Admin lowers the approval threshold to ¥1,500.
    const admin = await staffLogin('admin@demo.jembatan.id', 'Antrean pembayaran');
    await admin.page.getByTestId('tab-settings').click();
    const settings = admin.page.getByTestId('payments-settings-form');
    await expect(settings.getByTestId('settings-threshold-input').inputValue()).resolves.toBe('50000');
    await settings.getByTestId('settings-threshold-input').fill('1500');
    await settings.getByRole('button', { name: 'Simpan', exact: true }).click();
    await settings.getByText('Tersimpan.').waitFor();
    expect((await apiGet<{ settings: { approvalThreshold: Money } }>(admin.page, '/api/staff/payments/settings')).settings.approvalThreshold.amount).toBe('150000');

    // The importer releases the escrow: it goes to the desk.
    await page.getByTestId('order-release').click();
    await page.getByRole('button', { name: 'Yakin?' }).click();
    await expect.poll(() => orderDetail(page).getAttribute('data-status')).not.toBe('held');
    expect(['queued', 'in_payout']).toContain((await apiGet<OrderJson>(page, `/api/payment-orders/${escrowOrderId}`)).order.status);

    const o = ops.page;
    await o.getByTestId('desk-refresh').click();
    const item = o.locator(`[data-testid="desk-item"][data-order="${escrowOrderId}"]`);
    await item.getByTestId('desk-claim').click();
    const form = item.getByTestId('record-form');
    await form.getByTestId('record-reference').fill('ICBC-20261123-001200');
    await form.getByTestId('record-proof').setInputFiles({ name: 'bukti.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await form.getByTestId('record-proof-name').getByText('bukti.png').waitFor();
    await form.getByTestId('record-submit').click();
    await o.getByTestId('desk-notice').getByText('¥2,000.00 tercatat dan menunggu persetujuan keuangan').waitFor();
    await expect.poll(() => item.getAttribute('data-status')).toBe('awaiting_approval');
    await item.getByText('Tercatat; menunggu persetujuan keuangan.').waitFor();
    const waiting = await apiGet<{ payouts: { id: string; orderId: string; status: string }[] }>(o, '/api/staff/payouts?status=awaiting_approval');
    const record = waiting.payouts.find((p) => p.orderId === escrowOrderId)!;
    expect(record.status).toBe('awaiting_approval');
    // The importer still sees it being paid.
    expect((await apiGet<OrderJson>(page, `/api/payment-orders/${escrowOrderId}`)).order.status).toBe('in_payout');

    // Operations cannot approve; finance can.
    await o.getByTestId('tab-approvals').click();
    await o.getByTestId('desk-readonly-note').getByText('Hanya peran Keuangan').waitFor();
    await o.locator(`[data-testid="approval-item"][data-payout="${record.id}"]`).waitFor();
    await expect(o.getByTestId('approval-approve').count()).resolves.toBe(0);
    finance = await staffLogin('finance@demo.jembatan.id', 'Antrean pembayaran');
    const f = finance.page;
    await f.getByTestId('tab-approvals').click();
    const approval = f.locator(`[data-testid="approval-item"][data-payout="${record.id}"]`);
    await approval.getByText('ICBC-20261123-001200').waitFor();
    await approval.getByTestId('payout-status').getByText('Menunggu persetujuan').waitFor();
    const proofHref = await approval.getByTestId('approval-proof').getAttribute('href');
    expect((await f.request.get(proofHref!)).status()).toBe(200);
    await harness.shot(f, 'payments-approvals');
    await approval.getByTestId('approval-approve').click();
    await f.getByTestId('approvals-notice').getByText('Pembayaran ¥2,000.00 disetujui dan dibukukan.').waitFor();
    await expect.poll(() => approval.count()).toBe(0);
    expect((await apiGet<OrderJson>(f, `/api/staff/payments/orders/${escrowOrderId}`)).order.status).toBe('paid');
    await waitForStatus(page, 'paid');
    const done = await apiGet<OrderJson>(page, `/api/payment-orders/${escrowOrderId}`);
    expect(done.transitions.map((t) => t.to)).toEqual(['draft', 'funded', 'held', 'queued', 'in_payout', 'paid']);
    await orderDetail(page).getByTestId('timeline').getByText('dilepas oleh importir').waitFor();
    await harness.shot(page, 'payments-escrow-paid');

    // The threshold goes back.
    await settings.getByTestId('settings-threshold-input').fill('50000');
    await settings.getByRole('button', { name: 'Simpan', exact: true }).click();
    await expect.poll(async () => (await apiGet<{ settings: { approvalThreshold: Money } }>(admin.page, '/api/staff/payments/settings')).settings.approvalThreshold.amount).toBe('5000000');
    expect(admin.errors).toEqual([]);
    expect(finance.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
    expect(ops.errors).toEqual([]);
  });

  it("a person's account for a company store stops the desk until compliance clears the name mismatch; then it is paid", async () => {
    const { page } = importer;
    await page.goto('/payment-orders?tab=suppliers');
    await page.getByTestId('supplier-add').click();
    const sform = page.getByTestId('supplier-form');
    await sform.getByLabel('Nama toko 1688').fill('Minghui Shoes Factory');
    await sform.getByLabel('Nama perusahaan').fill('温州明辉鞋业有限公司');
    await sform.getByRole('button', { name: 'Simpan pemasok' }).click();
    const card = page.getByTestId('supplier').filter({ hasText: 'Minghui Shoes Factory' });
    await card.getByTestId('payee-add').click();
    const pform = card.getByTestId('payee-form');
    await pform.getByLabel('Akun Alipay').fill('+86 138-0013-8000');
    await pform.getByLabel('Nama pemilik rekening').fill('王小明');
    await pform.getByRole('button', { name: 'Simpan penerima' }).click();
    // The mobile number is stored as the server normalised it.
    await card.getByText('Penerima 13800138000 disimpan.').waitFor();
    await card.getByTestId('payee-pay').click();
    const orderId = await fillDetailsAndCreate(page, { amount: '3000', numbers: ['3319900000000007'], mode: 'Langsung' });
    await quoteAcceptAndPay(page, orderId);
    await waitForStatus(page, 'queued');
    const mine = await apiGet<OrderJson>(page, `/api/payment-orders/${orderId}`);
    // The importer learns that a check holds the payout (named, if the API names it).
    expect(mine.riskFlags).toHaveLength(1);
    if (mine.riskFlags[0]!.code) {
      expect(mine.riskFlags[0]).toMatchObject({ code: 'name_mismatch', severity: 'high' });
      await page.getByTestId('risk-hold').getByText('Nama tidak cocok').waitFor();
    } else {
      await page.getByTestId('risk-hold').getByText('Tim kepatuhan memeriksa pesanan ini').waitFor();
    }
    await harness.shot(page, 'payments-order-risk-hold');

    // The desk: marked blocked, nothing to claim.
    const o = ops.page;
    await o.getByTestId('tab-desk').click();
    const item = o.locator(`[data-testid="desk-item"][data-order="${orderId}"]`);
    await item.getByTestId('desk-blocked').waitFor();
    await item.getByTestId('desk-flags').locator('[data-code="name_mismatch"]').getByText('王小明').waitFor();
    await expect(item.getByTestId('desk-claim').count()).resolves.toBe(0);
    await item.getByText('Jangan dibayar: menunggu tim kepatuhan').waitFor();
    await harness.shot(o, 'payments-desk-blocked');

    // Compliance compares the company with the holder, and clears it with a note.
    const compliance = await staffLogin('compliance@demo.jembatan.id', 'Risiko');
    const c = compliance.page;
    const flags = (await apiGet<{ flags: { id: string; orderId: string; code: string; reason: string }[] }>(c, '/api/staff/risk/flags?status=open')).flags.filter((x) => x.orderId === orderId);
    const mismatch = flags.find((x) => x.code === 'name_mismatch')!;
    const flag = c.locator(`[data-testid="flag-item"][data-flag="${mismatch.id}"]`);
    expect(await text(flag, 'flag-reason')).toBe(mismatch.reason);
    expect(await text(flag, 'flag-company')).toBe('温州明辉鞋业有限公司 (Minghui Shoes Factory)');
    expect(await text(flag, 'flag-holder')).toBe('王小明');
    await flag.getByTestId('flag-clear').click();
    await flag.getByText('Tulis catatan, minimal 5 karakter.').waitFor();
    await flag.getByTestId('flag-note').fill('Pemilik usaha perorangan; dikonfirmasi lewat panggilan video');
    await harness.shot(c, 'payments-risk-flag');
    await flag.getByTestId('flag-clear').click();
    await c.getByTestId('risk-notice').getByText('Tanda "Nama tidak cocok" dibersihkan').waitFor();
    await expect.poll(() => flag.count()).toBe(0);
    const decided = (await apiGet<{ flags: { id: string; status: string; decisionNote: string }[] }>(c, '/api/staff/risk/flags?status=cleared')).flags.find((x) => x.id === mismatch.id)!;
    expect(decided).toMatchObject({ status: 'cleared', decisionNote: 'Pemilik usaha perorangan; dikonfirmasi lewat panggilan video' });
    await c.getByTestId('risk-filter').selectOption('cleared');
    await c.locator(`[data-testid="flag-item"][data-flag="${mismatch.id}"]`).getByTestId('flag-decision').getByText('Pemilik usaha perorangan').waitFor();
    // The blocklist: compliance adds a reported account.
    await c.getByTestId('tab-blocklist').click();
    await c.getByTestId('block-value').fill('139 0013 9000');
    await c.getByTestId('block-reason').fill('Dilaporkan sebagai rekening penipuan');
    await c.getByTestId('block-submit').click();
    await c.getByTestId('block-notice').getByText('13900139000 masuk daftar blokir.').waitFor();
    await c.getByTestId('blocklist-table').getByText('Dilaporkan sebagai rekening penipuan').waitFor();
    await harness.shot(c, 'payments-blocklist');
    // Compliance reads the desk but cannot claim.
    await c.getByTestId('main-nav').getByRole('link', { name: 'Antrean pembayaran', exact: true }).click();
    await c.getByTestId('desk-readonly-note').waitFor();
    await c.locator(`[data-testid="desk-item"][data-order="${orderId}"]`).waitFor();
    await expect(c.getByTestId('desk-claim').count()).resolves.toBe(0);

    // Now operations can claim it; the Alipay float is suggested.
    await o.getByTestId('desk-refresh').click();
    await expect.poll(() => item.getByTestId('desk-blocked').count()).toBe(0);
    const queue = await apiGet<QueueJson>(o, '/api/staff/payouts/queue');
    const apiItem = queue.items.find((i) => i.orderId === orderId)!;
    expect(apiItem.blocked).toBe(false);
    const alipay = queue.floats.find((x) => x.code.includes('alipay'))!;
    expect(apiItem.suggestedFloatId).toBe(alipay.id);
    await item.getByTestId('desk-claim').click();
    const form = item.getByTestId('record-form');
    await expect(form.getByTestId('record-float').inputValue()).resolves.toBe(alipay.id);
    await form.getByTestId('record-reference').fill('2026112322001480931');
    await form.getByTestId('record-proof').setInputFiles({ name: 'alipay.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await form.getByTestId('record-proof-name').getByText('alipay.png').waitFor();
    await form.getByTestId('record-submit').click();
    await o.getByTestId('desk-notice').getByText('¥3,000.00 dicatat dibayar').waitFor();
    await waitForStatus(page, 'paid');
    await expect(page.getByTestId('risk-hold').count()).resolves.toBe(0);
    expect(compliance.errors).toEqual([]);
    expect(ops.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it("paying by bank transfer shows the deposit instructions and their deadline (at least the quote's lock); cancelling closes the deposit; a quote that ran out offers a new one", async () => {
    const { page } = importer;
    await page.goto('/payment-orders?tab=suppliers');
    await page.getByTestId('supplier').filter({ hasText: STORE }).getByTestId('payee-pay').click();
    const orderId = await fillDetailsAndCreate(page, { amount: '500', numbers: ['3317700000000003'], mode: 'Langsung' });
    const quote = await quoteAcceptAndPay(page, orderId, 'payments-transfer', 'bank');
    const waiting = await apiGet<OrderJson & { order: { depositId: string } }>(page, `/api/payment-orders/${orderId}`);
    expect(waiting.order.idrTotal).toEqual(quote.total);
    const { deposit } = await apiGet<{ deposit: { id: string; status: string; referenceCode: string; requested: Money; amountDue: Money; uniqueCode: Money; expiresAt: string; bank: { accountNumber: string } } }>(page, `/api/deposits/${waiting.order.depositId}`);
    expect(deposit.requested).toEqual(quote.total);
    // The rate holds until the deposit's deadline: the quote's lock, or longer for a bank transfer.
    expect(new Date(deposit.expiresAt).getTime()).toBeGreaterThanOrEqual(new Date(quote.expiresAt).getTime());
    const box = page.getByTestId('order-deposit');
    await box.getByTestId('deposit-instructions').waitFor();
    expect(await text(box, 'deposit-amount')).toBe(rp(deposit.amountDue));
    expect(minor(deposit.amountDue)).toBe(minor(deposit.requested) + minor(deposit.uniqueCode));
    expect(await text(box, 'deposit-account')).toBe(deposit.bank.accountNumber);
    expect(await text(box, 'deposit-reference')).toBe(deposit.referenceCode);
    expect(await text(box, 'deposit-deadline')).toBe(await page.evaluate((iso) => new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), deposit.expiresAt));
    const left = new Date(deposit.expiresAt).getTime() - Date.now();
    const hh = String(Math.floor(left / 3_600_000)).padStart(2, '0');
    await expect.poll(() => text(box, 'deposit-countdown')).toMatch(new RegExp(`^Sisa (${hh}|${String(Math.floor((left - 60_000) / 3_600_000)).padStart(2, '0')}):\\d\\d:\\d\\d$`));
    await harness.shot(page, 'payments-transfer-instructions');
    // Not transferred after all: cancelled, the deposit closes with it.
    await page.getByTestId('order-cancel').click();
    await page.getByRole('button', { name: 'Yakin?' }).click();
    await waitForStatus(page, 'cancelled');
    expect((await apiGet<{ deposit: { status: string } }>(page, `/api/deposits/${deposit.id}`)).deposit.status).toBe('cancelled');
    await expect(page.getByTestId('order-deposit').count()).resolves.toBe(0);

    // On a device whose clock runs past the lock, the quote cannot be paid and a new one is offered.
    const other = await harness.openPage();
    const p2 = other.page;
    await p2.goto('/login');
    await p2.getByLabel('E-mail').fill(DEMO_IMPORTER.email);
    await p2.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await p2.getByRole('button', { name: 'Masuk', exact: true }).click();
    await p2.getByTestId('importer-portal').waitFor();
    await p2.goto('/payment-orders?tab=suppliers');
    await p2.getByTestId('supplier').filter({ hasText: STORE }).getByTestId('payee-pay').click();
    const lateId = await fillDetailsAndCreate(p2, { amount: '500', numbers: ['3317700000000004'], mode: 'Langsung' });
    await p2.clock.install();
    await p2.reload();
    await waitForStatus(p2, 'draft');
    const panel = p2.getByTestId('fund-panel');
    const firstQuote = p2.waitForResponse((r) => new URL(r.url()).pathname === '/api/quotes' && r.request().method() === 'POST');
    await panel.getByTestId('fund-quote').click();
    const q1 = (await (await firstQuote).json()) as QuoteJson;
    await panel.getByTestId('fund-accept').click();
    await panel.getByTestId('fund-pay').waitFor();
    await p2.clock.fastForward('16:00');
    await panel.getByText('Kunci kurs habis. Minta kutipan baru untuk kurs terbaru.').waitFor();
    await panel.getByTestId('quote-lock').getByText('Kutipan kedaluwarsa').waitFor();
    await expect(panel.getByTestId('fund-pay-wallet').isDisabled()).resolves.toBe(true);
    await harness.shot(p2, 'payments-quote-expired');
    const secondQuote = p2.waitForResponse((r) => new URL(r.url()).pathname === '/api/quotes' && r.request().method() === 'POST');
    await panel.getByTestId('fund-requote').click();
    const q2 = (await (await secondQuote).json()) as QuoteJson;
    expect(q2.id).not.toBe(q1.id);
    await expect.poll(() => text(panel, 'quote-total')).toBe(rp(q2.total));
    await panel.getByTestId('fund-accept').click();
    await panel.getByTestId('fund-pay-wallet').click();
    await waitForStatus(p2, 'queued');
    lateOrderId = lateId;
    const paid = await apiGet<OrderJson>(p2, `/api/payment-orders/${lateId}`);
    expect(paid.order.quoteId).toBe(q2.id);
    expect(paid.order.idrTotal).toEqual(q2.total);
    expect(other.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('installments: an editable 30/70 split, each part quoted and shown; cancelled before any payout, every rupiah back in the wallet', async () => {
    const { page } = importer;
    await page.goto('/payment-orders?tab=suppliers');
    await page.getByTestId('supplier').filter({ hasText: STORE }).getByTestId('payee-pay').click();
    const wizard = page.getByTestId('order-wizard');
    await wizard.getByTestId('order-amount').fill('1000.01');
    await wizard.getByTestId('order-number').first().fill('3316600000000005');
    await wizard.getByTestId('wizard-next').click();
    await wizard.getByTestId('order-mode').getByText('Bertahap (DP + pelunasan)').click();
    const editor = wizard.getByTestId('installments-editor');
    const percents = editor.getByTestId('installment-percent');
    await expect(percents.nth(0).inputValue()).resolves.toBe('30');
    await expect(percents.nth(1).inputValue()).resolves.toBe('70');
    expect(await editor.getByTestId('installment-cny').allTextContents()).toEqual(['¥300.00', '¥700.01']);
    await percents.nth(0).fill('45');
    await editor.getByText('berjumlah 100 %').waitFor();
    await wizard.getByTestId('wizard-create').click();
    await wizard.getByTestId('wizard-invalid').getByText('berjumlah 100 %').waitFor();
    await percents.nth(1).fill('55');
    expect(await editor.getByTestId('installment-cny').allTextContents()).toEqual(['¥450.00', '¥550.01']);
    await harness.shot(page, 'payments-wizard-installments');
    await wizard.getByTestId('wizard-create').click();
    await waitForStatus(page, 'draft');
    const orderId = (await orderDetail(page).getAttribute('data-order'))!;
    const before = await walletAvailable(page);
    const quote = await quoteAcceptAndPay(page, orderId);
    await waitForStatus(page, 'queued');
    const funded = await apiGet<OrderJson>(page, `/api/payment-orders/${orderId}`);
    expect(funded.installments.map((i) => [i.cny.amount, i.status])).toEqual([
      ['45000', 'queued'],
      ['55001', 'held'],
    ]);
    expect(funded.installments.reduce((sum, i) => sum + minor(i.idr!), 0n)).toBe(minor(quote.total));
    const rows = orderDetail(page).getByTestId('part-row');
    await expect.poll(() => rows.count()).toBe(2);
    for (const [i, inst] of funded.installments.entries()) {
      expect(await text(rows.nth(i), 'part-cny')).toBe(yuan(inst.cny));
      expect(await text(rows.nth(i), 'part-idr')).toBe(rp(inst.idr!));
    }
    await rows.nth(0).getByText('Bagian 1 dari 2').waitFor();
    await rows.nth(1).getByTestId('part-status').getByText('Ditahan').waitFor();
    await harness.shot(page, 'payments-installments');
    await page.getByTestId('order-cancel').click();
    await page.getByRole('button', { name: 'Yakin?' }).click();
    await waitForStatus(page, 'cancelled');
    await expect.poll(async () => (await rows.getByTestId('part-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).join(',')).toBe('refunded,refunded');
    expect(await walletAvailable(page)).toEqual(before);
    expect(importer.errors).toEqual([]);
  });

  it('finance records yuan bought for a float with the implied rate; the staff order list and detail; phone width', async () => {
    const f = finance.page;
    await f.getByTestId('tab-floats').click();
    const floats = (await apiGet<{ accounts: { id: string; code: string; name: string; balance: { available: Money } }[] }>(f, '/api/staff/ledger/accounts?owner=company&code=float:')).accounts;
    const wechat = floats.find((x) => x.code.includes('wechat'))!;
    const tile = f.locator(`[data-testid="fx-float"][data-float="${wechat.code}"]`);
    expect(await text(tile, 'fx-float-balance')).toBe(yuan(wechat.balance.available));
    const form = f.getByTestId('fx-form');
    const bca = (await apiGet<{ bankAccounts: { id: string; bankCode: string }[] }>(f, '/api/staff/funding/bank-accounts')).bankAccounts.find((b) => b.bankCode === 'BCA')!;
    await form.getByTestId('fx-float-select').selectOption(wechat.id);
    await form.getByTestId('fx-bank-select').selectOption(bca.id);
    await form.getByTestId('fx-cny').fill('5000');
    await form.getByTestId('fx-idr').fill('11.552.500');
    await expect.poll(() => text(form, 'fx-rate')).toBe('¥1 = Rp 2.310,5');
    await form.getByTestId('fx-reference').fill('FX-BCA-20261123-01');
    await harness.shot(f, 'payments-fx');
    await form.getByTestId('fx-submit').click();
    await form.getByTestId('fx-notice').getByText(`¥5,000.00 masuk ke ${wechat.name} pada ¥1 = Rp 2.310,5.`).waitFor();
    const after = (await apiGet<{ accounts: { id: string; balance: { available: Money } }[] }>(f, '/api/staff/ledger/accounts?owner=company&code=float:')).accounts.find((x) => x.id === wechat.id)!;
    expect(minor(after.balance.available)).toBe(minor(wechat.balance.available) + 500_000n);
    await expect.poll(() => text(tile, 'fx-float-balance')).toBe(yuan(after.balance.available));

    // All orders, and one in detail with its payouts and history.
    await f.getByTestId('tab-orders').click();
    const row = f.getByTestId('staff-orders-table').locator(`tr[data-order="${directOrderId}"]`);
    await row.getByText(DEMO_IMPORTER.customer).waitFor();
    await row.getByTestId('order-status').getByText('Selesai').waitFor();
    await row.click();
    const detail = f.getByTestId('staff-order-detail');
    await detail.getByTestId('payout-reference').getByText('ICBC-20261123-000981').waitFor();
    await detail.getByTestId('staff-order-flags').locator('li[data-code="new_payee"]').waitFor();
    await expect.poll(() => detail.getByTestId('timeline-step').count()).toBe(6);
    await harness.shot(f, 'payments-staff-order');
    // Settings read-only for finance.
    await f.getByTestId('tab-settings').click();
    expect(await text(f, 'settings-threshold')).toBe('¥50,000.00');
    await expect(f.getByTestId('payments-settings-form').count()).resolves.toBe(0);

    // Phone width: the desk and the importer's order page stay readable.
    await ops.page.setViewportSize(PHONE);
    await ops.page.getByTestId('tab-desk').click();
    await ops.page.getByTestId('desk-refresh').click();
    // The order paid after a re-quote waits on the desk.
    await ops.page.locator('[data-testid="desk-item"][data-status="queued"]').first().getByTestId('desk-claim').waitFor();
    expect(await ops.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await harness.shot(ops.page, 'payments-desk-phone');
    // That payout fails (on a phone): refunded to the importer's wallet with the reason.
    const walletBefore = await walletAvailable(importer.page);
    const late = ops.page.locator(`[data-testid="desk-item"][data-order="${lateOrderId}"]`);
    await late.getByTestId('desk-claim').click();
    await late.getByTestId('desk-fail-open').click();
    const fail = late.getByTestId('fail-form');
    await fail.getByTestId('fail-reason').fill('Rekening pemasok dibekukan bank');
    await fail.getByTestId('fail-outcome').getByText('Kembalikan dana ke dompet importir').click();
    await fail.getByTestId('fail-submit').click();
    await ops.page.getByTestId('desk-notice').getByText('¥500.00 dikembalikan ke dompet importir.').waitFor();
    const refunded = await apiGet<OrderJson>(ops.page, `/api/staff/payments/orders/${lateOrderId}`);
    expect(refunded.order.status).toBe('refunded');
    expect(minor(await walletAvailable(importer.page))).toBe(minor(walletBefore) + minor(refunded.order.idrTotal!));
    const { page } = importer;
    await page.setViewportSize(PHONE);
    await page.goto(`/payment-orders/${escrowOrderId}`);
    await waitForStatus(page, 'paid');
    const escrow = await apiGet<OrderJson>(page, `/api/payment-orders/${escrowOrderId}`);
    expect(await text(page, 'order-idr-total')).toBe(rp(escrow.order.idrTotal!));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await harness.shot(page, 'payments-order-phone');
    await page.goto('/payment-orders?tab=new');
    await page.getByTestId('order-wizard').getByTestId('supplier-choice').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await harness.shot(page, 'payments-wizard-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(finance.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });
});
