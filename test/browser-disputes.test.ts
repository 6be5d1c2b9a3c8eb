/**
 * Disputes in real Chromium against the real platform (in-process, ephemeral port, fresh
 * PGlite data directory with the demo data). Escrow orders are created and funded through
 * the API (the payments browser test covers that in the UI); everything about the dispute
 * happens in the pages: the importer opens one with an evidence PNG (a file that is not an
 * image is refused beside the field), operations replies, the importer answers, finance
 * decides a partial refund after a confirmation step, and the importer reads the outcome in
 * yuan and rupiah with the wallet's balance; a second order is refunded in full; operations
 * sees the decision disabled. Every figure on screen is checked against the API's answers.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../src/identity/totp.ts';
import { formatMoney } from '../src/money/format.ts';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { browserTestsEnabled, PHONE, DESKTOP, useBrowserPlatform } from './support/browser.ts';

const runBrowserTests = browserTestsEnabled('browser-disputes.test');

type Money = { amount: string; currency: 'IDR' | 'CNY' };
interface InstallmentJson {
  id: string;
  seq: number;
  status: string;
  cny: Money;
  idr: Money | null;
  idrLines: Record<string, Money> | null;
}
interface DisputeJson {
  id: string;
  status: string;
  reason: string;
  resolution: string | null;
  refund: Money | null;
  resolutionNote: string | null;
  messages: { id: string; author: string; authorId: string | null; body: string; documentId: string | null; at: string }[];
}
interface OrderJson {
  order: { id: string; status: string; cny: Money; idrTotal: Money | null; customerId: string };
  installments: InstallmentJson[];
  transitions: { to: string; reason: string | null }[];
  disputes: DisputeJson[];
}

const rp = (m: Money | bigint) => formatMoney(typeof m === 'bigint' ? m : m.amount, 'IDR', 'id');
const yuan = (m: Money | bigint) => formatMoney(typeof m === 'bigint' ? m : m.amount, 'CNY', 'id');
const minor = (m: Money) => BigInt(m.amount);
/** 1×1 PNG, a real image for the content check. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const STORE = 'Hongda Textile Store';
const COMPANY = '绍兴市鸿达纺织有限公司';

describe.runIf(runBrowserTests)('disputes in Chromium', { timeout: 300_000 }, () => {
  const harness = useBrowserPlatform('jbt-browser-disputes-');
  let importer: { page: Page; errors: string[] };
  let ops: { page: Page; errors: string[] };
  let finance: { page: Page; errors: string[] };
  let payeeId: string;
  let supplierId: string;
  let orderA: string;
  let disputeA: string;
  let walletBeforeA: Money;

  async function text(scope: Page | Locator, testId: string): Promise<string> {
    return ((await scope.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async function apiGet<T>(page: Page, path: string): Promise<T> {
    const res = await page.request.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }

  async function apiPost<T = Record<string, unknown>>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
    const { csrfToken } = await apiGet<{ csrfToken: string }>(page, '/api/auth/session');
    const res = await page.request.post(path, { data: body, headers: { 'x-csrf-token': csrfToken } });
    return { status: res.status(), body: (await res.json()) as T };
  }

  async function walletAvailable(page: Page): Promise<Money> {
    const w = (await apiGet<{ wallets: { currency: string; balance: { available: Money } }[] }>(page, '/api/wallet')).wallets.find((x) => x.currency === 'IDR');
    return w!.balance.available;
  }

  async function staffLogin(email: string) {
    const opened = await harness.openPage();
    const { page } = opened;
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByLabel('Kode verifikasi').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await page.getByTestId('staff-console').waitFor();
    await page.getByTestId('main-nav').getByRole('link', { name: 'Antrean pembayaran', exact: true }).click();
    await page.getByRole('heading', { name: 'Antrean pembayaran', level: 1 }).waitFor();
    return opened;
  }

  /** An escrow order of `cny` minor units, quoted, accepted and funded from the wallet through the API. */
  async function fundedEscrow(page: Page, cny: bigint, orderNumber: string): Promise<OrderJson> {
    const created = await apiPost<OrderJson>(page, '/api/payment-orders', { supplierId, payeeId, orderNumbers: [orderNumber], cny: { amount: cny.toString(), currency: 'CNY' }, mode: 'escrow' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const quote = await apiPost<{ token: string }>(page, '/api/quotes', { cny: { amount: cny.toString(), currency: 'CNY' } });
    expect(quote.status).toBe(200);
    const accepted = await apiPost<{ quote: { id: string } }>(page, '/api/quotes/accept', { token: quote.body.token });
    expect([200, 201]).toContain(accepted.status);
    const funded = await apiPost<OrderJson>(page, `/api/payment-orders/${created.body.order.id}/fund`, { quoteId: accepted.body.quote.id, method: 'wallet' });
    expect(funded.status, JSON.stringify(funded.body)).toBe(200);
    expect(funded.body.order.status).toBe('held');
    return funded.body;
  }

  function detail(page: Page) {
    return page.getByTestId('order-detail');
  }

  async function waitForStatus(page: Page, status: string) {
    await expect.poll(() => detail(page).getAttribute('data-status'), { timeout: 20_000 }).toBe(status);
  }

  /** What the server keeps of a part after refunding `refund` yuan: each quote line shared in proportion, rounded down, the paid share taking the rest. */
  function expectedSplit(part: InstallmentJson, refund: bigint) {
    // Each line's refunded share rounded down, the refund then whole rupiah (rounded down).
    const cny = minor(part.cny);
    let refundIdr = 0n;
    for (const line of Object.values(part.idrLines!)) refundIdr += (minor(line) * refund) / cny;
    refundIdr -= refundIdr % 100n;
    return { paidCny: cny - refund, paidIdr: minor(part.idr!) - refundIdr, refundIdr };
  }

  async function noHorizontalScroll(page: Page) {
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  }

  it('importer: a held escrow order offers release and a dispute side by side; the dispute needs 5 characters, refuses a file that is not an image beside the field, and opens with a PNG as a thread', async () => {
    importer = await harness.openPage();
    const { page } = importer;
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(DEMO_IMPORTER.email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByTestId('importer-portal').waitFor();
    const supplier = await apiPost<{ supplier: { id: string } }>(page, '/api/suppliers', { storeName: STORE, companyName: COMPANY });
    expect(supplier.status).toBe(201);
    supplierId = supplier.body.supplier.id;
    const payee = await apiPost<{ payee: { id: string } }>(page, '/api/payees', { supplierId, kind: 'alipay', account: '13900001111', holderName: COMPANY });
    expect(payee.status, JSON.stringify(payee.body)).toBe(201);
    payeeId = payee.body.payee.id;
    walletBeforeA = await walletAvailable(page);
    const funded = await fundedEscrow(page, 1_000_00n, '3321000000000001');
    orderA = funded.order.id;
    expect(minor(await walletAvailable(page))).toBe(minor(walletBeforeA) - minor(funded.order.idrTotal!));

    await page.goto(`/payment-orders/${orderA}`);
    await waitForStatus(page, 'held');
    const decision = page.getByTestId('escrow-decision');
    await decision.getByTestId('order-release').getByText('Lepas ¥1,000.00 ke pemasok').waitFor();
    const form = decision.getByTestId('dispute-form');
    await form.getByText('Ada masalah?').waitFor();
    // Release and dispute sit side by side on a desktop.
    const releaseBox = (await decision.getByTestId('decision-release').boundingBox())!;
    const formBox = (await form.boundingBox())!;
    expect(formBox.x).toBeGreaterThan(releaseBox.x + releaseBox.width - 1);
    expect(Math.abs(formBox.y - releaseBox.y)).toBeLessThan(2);

    // Too short: said beside the field, nothing sent.
    await form.getByTestId('dispute-body').fill('ok');
    await form.getByTestId('dispute-submit').click();
    await form.getByTestId('dispute-error-body').getByText('Tulis apa masalahnya, minimal 5 karakter.').waitFor();
    await expect(form.getByTestId('dispute-body').getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await apiGet<OrderJson>(page, `/api/payment-orders/${orderA}`)).disputes).toEqual([]);

    // A text file named like a photo: the server checks the content and the refusal shows beside the picker.
    const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/documents' && r.request().method() === 'POST');
    await form.getByTestId('dispute-evidence').setInputFiles({ name: 'foto-kurang.png', mimeType: 'image/png', buffer: Buffer.from('this is not a picture at all') });
    const refused = await uploaded;
    expect(refused.status()).toBe(422);
    const problem = (await refused.json()) as { code: string; title: string; detail: string };
    expect(problem.code).toBe('file_rejected');
    await expect.poll(() => text(form, 'dispute-evidence-error')).toBe(`${problem.title} ${problem.detail}`);
    await harness.shot(page, 'disputes-importer-evidence-refused');

    // A real PNG: uploaded on pick, then the dispute opens with it.
    const goodUpload = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/documents' && r.request().method() === 'POST');
    await form.getByTestId('dispute-evidence').setInputFiles({ name: 'foto-kurang.png', mimeType: 'image/png', buffer: PNG_1X1 });
    const doc = ((await (await goodUpload).json()) as { document: { id: string; kind: string } }).document;
    expect(doc.kind).toBe('evidence');
    await form.getByTestId('dispute-evidence-uploaded').getByText('foto-kurang.png terunggah.').waitFor();
    await expect(form.getByTestId('dispute-evidence-error').count()).resolves.toBe(0);
    const reason = 'Diterima 90 dari 100 pcs; 10 pcs kurang. Foto karton terlampir.';
    await form.getByTestId('dispute-body').fill(reason);
    await expect(form.getByTestId('dispute-error-body').count()).resolves.toBe(0);
    await harness.shot(page, 'disputes-importer-form');
    const opened = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/payment-orders/${orderA}/disputes` && r.request().method() === 'POST');
    await form.getByTestId('dispute-submit').click();
    expect((await opened).status()).toBe(201);
    await waitForStatus(page, 'disputed');

    const api = await apiGet<OrderJson>(page, `/api/payment-orders/${orderA}`);
    expect(api.order.status).toBe('disputed');
    expect(api.disputes).toHaveLength(1);
    const d = api.disputes[0]!;
    disputeA = d.id;
    expect(d).toMatchObject({ status: 'open', reason, resolution: null });
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0]).toMatchObject({ author: 'importer', body: reason, documentId: doc.id });
    // The money stays held: the part is still held, nothing came back.
    expect(api.installments.map((i) => i.status)).toEqual(['held']);
    expect(minor(await walletAvailable(page))).toBe(minor(walletBeforeA) - minor(api.order.idrTotal!));

    const card = page.getByTestId('dispute-open');
    await card.getByTestId('dispute-status').getByText('Sengketa terbuka').waitFor();
    const msgs = card.getByTestId('dispute-message');
    await expect.poll(() => msgs.count()).toBe(1);
    expect(await text(msgs.first(), 'message-author')).toBe('Anda');
    expect(await text(msgs.first(), 'message-body')).toBe(reason);
    expect(await text(msgs.first(), 'message-time')).toBe(await page.evaluate((iso) => new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), d.messages[0]!.at));
    const href = await msgs.first().getByTestId('message-evidence').getAttribute('href');
    expect(href).toBe(`/api/documents/${doc.id}`);
    const evidence = await page.request.get(href!);
    expect(evidence.status()).toBe(200);
    expect(Buffer.from(await evidence.body()).equals(PNG_1X1)).toBe(true);
    // Neither release nor a second dispute while it is open; the timeline shows the step.
    await expect(page.getByTestId('order-release').count()).resolves.toBe(0);
    await expect(page.getByTestId('dispute-form').count()).resolves.toBe(0);
    await detail(page).locator('[data-testid="timeline-step"][data-to="disputed"]').waitFor();
    await detail(page).getByTestId('order-status').first().getByText('Sengketa').waitFor();
    await harness.shot(page, 'disputes-importer-open');
    expect(importer.errors).toEqual([]);
  });

  it('operations: the disputes tab lists it with customer, amount and age; the thread and evidence open; the decision is disabled ("finance decides"); the reply reaches the importer, who answers', async () => {
    ops = await staffLogin('ops@demo.jembatan.id');
    const o = ops.page;
    await expect.poll(() => text(o, 'tab-disputes-count')).toBe('1');
    await o.getByTestId('tab-disputes').click();
    const list = (await apiGet<{ disputes: { id: string; orderId: string; status: string; createdAt: string }[] }>(o, '/api/staff/disputes')).disputes;
    expect(list.map((x) => [x.id, x.status])).toEqual([[disputeA, 'open']]);
    const staffOrder = await apiGet<OrderJson>(o, `/api/staff/payments/orders/${orderA}`);
    const row = o.locator(`[data-testid="dispute-row"][data-dispute="${disputeA}"]`);
    await row.getByTestId('dispute-customer').getByText(DEMO_IMPORTER.customer).waitFor();
    expect(await text(row, 'dispute-cny')).toBe(yuan(staffOrder.order.cny));
    expect(await text(row, 'dispute-idr')).toBe(rp(staffOrder.order.idrTotal!));
    expect(await text(row, 'dispute-age')).toMatch(/^menunggu [01] mnt$/);
    await row.getByTestId('dispute-status').getByText('Sengketa terbuka').waitFor();
    await harness.shot(o, 'disputes-staff-list');
    await row.click();

    const box = o.getByTestId('staff-dispute-detail');
    await box.locator(`[data-testid="staff-dispute"][data-status="open"]`).waitFor();
    expect(await text(box, 'staff-dispute-cny')).toBe(yuan(staffOrder.order.cny));
    expect(await text(box, 'staff-dispute-idr')).toBe(rp(staffOrder.order.idrTotal!));
    const first = box.getByTestId('dispute-message').first();
    await expect.poll(() => text(first, 'message-author')).toBe(`${DEMO_IMPORTER.customer} (importir)`);
    const evidenceHref = await first.getByTestId('message-evidence').getAttribute('href');
    expect(evidenceHref).toBe(`/api/documents/${staffOrder.disputes[0]!.messages[0]!.documentId}`);
    const evidence = await o.request.get(evidenceHref!);
    expect(evidence.status()).toBe(200);
    expect(Buffer.from(await evidence.body()).equals(PNG_1X1)).toBe(true);

    // Not finance: the decision shows, disabled, with the note.
    const decision = box.getByTestId('dispute-decision');
    await expect(decision.getAttribute('data-can-decide')).resolves.toBe('false');
    await decision.getByTestId('decision-finance-only').getByText('Keuangan yang memutuskan.').waitFor();
    await expect(decision.getByTestId('decision-review').isDisabled()).resolves.toBe(true);
    await expect(decision.getByTestId('decision-note').isDisabled()).resolves.toBe(true);
    await expect(decision.getByTestId('decision-kind').locator('input').first().isDisabled()).resolves.toBe(true);

    // The reply.
    const reply = 'Pemasok mengakui 10 pcs kurang; kami minta foto gudang.';
    const replyForm = box.getByTestId('dispute-reply');
    await replyForm.getByTestId('reply-body').fill(reply);
    const sent = o.waitForResponse((r) => new URL(r.url()).pathname === `/api/staff/disputes/${disputeA}/messages`);
    await replyForm.getByTestId('reply-send').click();
    expect((await sent).status()).toBe(201);
    await expect.poll(() => box.getByTestId('dispute-message').count()).toBe(2);
    expect(await text(box.getByTestId('dispute-message').nth(1), 'message-author')).toBe('Anda');
    expect(await text(box.getByTestId('dispute-message').nth(1), 'message-body')).toBe(reply);
    await expect(replyForm.getByTestId('reply-body').inputValue()).resolves.toBe('');
    await harness.shot(o, 'disputes-staff-ops');

    // The importer reads it (the page follows an open dispute by itself) and answers with a photo.
    const { page } = importer;
    const card = page.getByTestId('dispute-open');
    await expect.poll(() => card.getByTestId('dispute-message').count(), { timeout: 25_000 }).toBe(2);
    const staffMsg = card.getByTestId('dispute-message').nth(1);
    expect(await text(staffMsg, 'message-author')).toBe('Staf Jembatan');
    expect(await text(staffMsg, 'message-body')).toBe(reply);
    const answer = 'Foto 10 pcs yang kurang, dari gudang kami.';
    const replyBox = card.getByTestId('dispute-reply');
    await replyBox.getByTestId('reply-body').fill('ok');
    await replyBox.getByTestId('reply-send').click();
    await replyBox.getByTestId('reply-error-body').getByText('minimal 5 karakter').waitFor();
    const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/documents' && r.request().method() === 'POST');
    await replyBox.getByTestId('reply-evidence').setInputFiles({ name: 'gudang.png', mimeType: 'image/png', buffer: PNG_1X1 });
    expect((await uploaded).status()).toBe(201);
    await replyBox.getByTestId('reply-evidence-uploaded').waitFor();
    await replyBox.getByTestId('reply-body').fill(answer);
    await replyBox.getByTestId('reply-send').click();
    await expect.poll(() => card.getByTestId('dispute-message').count()).toBe(3);
    const mine = await apiGet<OrderJson>(page, `/api/payment-orders/${orderA}`);
    expect(mine.disputes[0]!.messages.map((m) => [m.author, m.body])).toEqual([
      ['importer', mine.disputes[0]!.reason],
      ['staff', reply],
      ['importer', answer],
    ]);
    const third = card.getByTestId('dispute-message').nth(2);
    expect(await third.getByTestId('message-evidence').getAttribute('href')).toBe(`/api/documents/${mine.disputes[0]!.messages[2]!.documentId}`);
    await harness.shot(page, 'disputes-importer-thread');
    expect(ops.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('finance: a partial refund of ¥100 shows the rupiah it returns by the order\'s line split, is confirmed, and the answer says what happened; the importer sees the outcome and the wallet, before and after the payout', async () => {
    finance = await staffLogin('finance@demo.jembatan.id');
    const f = finance.page;
    await f.getByTestId('tab-disputes').click();
    await f.locator(`[data-testid="dispute-row"][data-dispute="${disputeA}"]`).click();
    const box = f.getByTestId('staff-dispute-detail');
    await expect.poll(() => box.getByTestId('dispute-message').count()).toBe(3);
    const before = await apiGet<OrderJson>(f, `/api/staff/payments/orders/${orderA}`);
    const part = before.installments[0]!;
    const decision = box.getByTestId('dispute-decision');
    await expect(decision.getAttribute('data-can-decide')).resolves.toBe('true');
    await expect(decision.getByTestId('decision-finance-only').count()).resolves.toBe(0);
    // Release is the default: the whole part goes to the supplier.
    expect(await text(decision, 'preview-supplier-cny')).toBe(yuan(part.cny));
    expect(await text(decision, 'preview-supplier-idr')).toBe(rp(part.idr!));
    expect(await text(decision, 'preview-held')).toBe(rp(part.idr!));

    await decision.getByTestId('decision-kind').getByText('Kembalikan sebagian').click();
    // The whole amount is not a partial refund; a missing note is said beside its field.
    await decision.getByTestId('decision-refund').fill('1000');
    await decision.getByTestId('decision-review').click();
    await decision.getByTestId('decision-error-refund').getByText('kurang dari ¥1,000.00').waitFor();
    await decision.getByTestId('decision-error-note').getByText('minimal 5 karakter').waitFor();
    await expect(decision.getByTestId('decision-confirm-box').count()).resolves.toBe(0);

    await decision.getByTestId('decision-refund').fill('100');
    const split = expectedSplit(part, 100_00n);
    expect(split.paidIdr + split.refundIdr).toBe(minor(part.idr!));
    await expect.poll(() => text(decision, 'preview-wallet-idr')).toBe(rp(split.refundIdr));
    expect(await text(decision, 'preview-wallet-cny')).toBe('¥100.00');
    expect(await text(decision, 'preview-supplier-cny')).toBe('¥900.00');
    expect(await text(decision, 'preview-supplier-idr')).toBe(rp(split.paidIdr));
    const note = 'Pemasok mengakui 10 dari 100 pcs kurang: ¥100 dikembalikan.';
    await decision.getByTestId('decision-note').fill(note);
    await decision.getByTestId('decision-review').click();
    const confirmBox = decision.getByTestId('decision-confirm-box');
    expect(await text(confirmBox, 'decision-confirm-text')).toBe(`Kembalikan ¥100.00 (${rp(split.refundIdr)}) ke dompet importir; ¥900.00 dibayar ke pemasok.`);
    await expect(decision.getByTestId('decision-refund').isDisabled()).resolves.toBe(true);
    await harness.shot(f, 'disputes-staff-finance-confirm');
    const resolving = f.waitForResponse((r) => new URL(r.url()).pathname === `/api/staff/disputes/${disputeA}/resolve`);
    await confirmBox.getByTestId('decision-confirm').click();
    const res = await resolving;
    expect(res.status()).toBe(200);
    const answer = (await res.json()) as OrderJson;
    // The server's answer: the part reduced by exactly the split shown, queued for payout.
    expect(answer.order.status).toBe('queued');
    expect(answer.installments[0]).toMatchObject({ status: 'queued', cny: { amount: '90000', currency: 'CNY' }, idr: { amount: split.paidIdr.toString(), currency: 'IDR' } });
    expect(answer.disputes[0]).toMatchObject({ status: 'resolved', resolution: 'partial_refund', refund: { amount: '10000', currency: 'CNY' }, resolutionNote: note });
    const back = minor(answer.order.idrTotal!) - minor(answer.installments[0]!.idr!);
    expect(back).toBe(split.refundIdr);
    expect(await text(box, 'decision-notice')).toBe(`Diputuskan: dikembalikan sebagian. Pesanan kini dalam antrean. Ke pemasok ¥900.00 (${rp(split.paidIdr)}); kembali ke dompet ${rp(back)}. ${rp(back)} dilepas di dompet saat pembayaran dicatat.`);
    await box.locator('[data-testid="staff-dispute"][data-status="resolved"]').waitFor();
    const outcome = box.getByTestId('staff-dispute-outcome');
    expect(await text(outcome, 'staff-outcome-supplier-cny')).toBe('¥900.00');
    expect(await text(outcome, 'staff-outcome-wallet-idr')).toBe(rp(back));
    expect(await text(outcome, 'staff-outcome-pending')).toBe(rp(back));
    await expect(box.getByTestId('dispute-decision').count()).resolves.toBe(0);
    await expect(box.getByTestId('dispute-reply').count()).resolves.toBe(0);
    await f.locator(`[data-testid="dispute-row"][data-dispute="${disputeA}"] [data-testid="dispute-status"][data-resolution="partial_refund"]`).getByText('Dikembalikan sebagian').waitFor();
    await expect.poll(() => f.getByTestId('tab-disputes-count').count()).toBe(0);
    await harness.shot(f, 'disputes-staff-finance-decided');

    // The importer: the outcome; until the payout the refunded rupiah are still held.
    const { page } = importer;
    await waitForStatus(page, 'queued');
    const resolved = page.getByTestId('dispute-resolved');
    await resolved.getByTestId('dispute-status').getByText('Dikembalikan sebagian').waitFor();
    expect(await text(resolved, 'dispute-outcome-text')).toBe('Keputusan: ¥100.00 dikembalikan; sisanya dibayar ke pemasok.');
    expect(await text(resolved, 'dispute-note')).toBe(`Catatan keuangan: ${note}`);
    expect(await text(resolved, 'outcome-supplier-cny')).toBe('¥900.00');
    expect(await text(resolved, 'outcome-supplier-idr')).toBe(rp(answer.installments[0]!.idr!));
    expect(await text(resolved, 'outcome-wallet-idr')).toBe(rp(back));
    expect(await text(resolved, 'outcome-wallet-cny')).toBe('untuk ¥100.00');
    expect(await text(resolved, 'outcome-pending')).toContain(`${rp(back)} kembali ke saldo tersedia saat pembayaran ke pemasok dicatat`);
    const heldStill = await walletAvailable(page);
    expect(minor(heldStill)).toBe(minor(walletBeforeA) - minor(answer.order.idrTotal!));
    await expect.poll(() => text(resolved, 'outcome-wallet-available')).toBe(rp(heldStill));
    await detail(page).getByTestId('timeline').getByText(`sengketa diputuskan (dikembalikan sebagian): ${note}`).waitFor();
    await detail(page).locator('[data-testid="part-row"] [data-testid="part-cny"]').getByText('¥900.00').waitFor();
    await harness.shot(page, 'disputes-importer-partial-queued');

    // Operations pays the ¥900 (API); the refunded rupiah are then free in the wallet.
    const queue = await apiGet<{ items: { installmentId: string; orderId: string; suggestedFloatId: string | null }[]; floats: { id: string }[] }>(ops.page, '/api/staff/payouts/queue');
    const item = queue.items.find((i) => i.orderId === orderA)!;
    expect((await apiPost(ops.page, `/api/staff/payouts/${item.installmentId}/claim`, {})).status).toBe(200);
    const recorded = await apiPost<{ payout: { status: string } }>(ops.page, `/api/staff/payouts/${item.installmentId}/record`, {
      floatAccountId: item.suggestedFloatId ?? queue.floats[0]!.id,
      cny: { amount: '90000', currency: 'CNY' },
      providerReference: '2026112322001400900',
      proof: { fileName: 'alipay.png', contentBase64: PNG_1X1.toString('base64') },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    await waitForStatus(page, 'paid');
    const after = await walletAvailable(page);
    // Only the rupiah of the 900 yuan left the wallet.
    expect(minor(after)).toBe(minor(walletBeforeA) - minor(answer.installments[0]!.idr!));
    await expect.poll(() => text(resolved, 'outcome-wallet-available')).toBe(rp(after));
    await expect(resolved.getByTestId('outcome-pending').count()).resolves.toBe(0);
    expect(await text(resolved, 'outcome-supplier-state')).toBe('Pemasok sudah dibayar.');
    await resolved.getByTestId('dispute-history').locator('summary').click();
    await expect.poll(() => resolved.getByTestId('dispute-message').count()).toBe(3);
    await harness.shot(page, 'disputes-importer-partial-paid');
    // The wallet page shows the same figure.
    await page.getByTestId('main-nav').getByRole('link', { name: 'Dompet' }).click();
    await expect.poll(() => text(page, 'wallet-available')).toBe(rp(after));
    expect(finance.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('a second escrow order disputed and refunded in full: every rupiah back in the wallet, on screen as in the API', async () => {
    const { page } = importer;
    const before = await walletAvailable(page);
    const funded = await fundedEscrow(page, 500_00n, '3321000000000002');
    const orderB = funded.order.id;
    await page.goto(`/payment-orders/${orderB}`);
    await waitForStatus(page, 'held');
    const form = page.getByTestId('dispute-form');
    await form.getByTestId('dispute-body').fill('Pemasok tidak mengirim barang sama sekali.');
    await form.getByTestId('dispute-submit').click();
    await waitForStatus(page, 'disputed');
    const disputeB = (await apiGet<OrderJson>(page, `/api/payment-orders/${orderB}`)).disputes[0]!.id;
    await expect.poll(() => page.getByTestId('dispute-open').getByTestId('dispute-message').count()).toBe(1);
    await expect(page.getByTestId('dispute-open').getByTestId('message-evidence').count()).resolves.toBe(0);

    const f = finance.page;
    await f.getByTestId('tab-orders').click();
    await f.getByTestId('tab-disputes').click();
    const row = f.locator(`[data-testid="dispute-row"][data-dispute="${disputeB}"]`);
    // Open disputes stand first.
    await expect.poll(async () => (await f.getByTestId('dispute-row').first().getAttribute('data-dispute')) ?? '').toBe(disputeB);
    expect(await text(row, 'dispute-cny')).toBe('¥500.00');
    expect(await text(row, 'dispute-idr')).toBe(rp(funded.order.idrTotal!));
    await row.click();
    const box = f.getByTestId('staff-dispute-detail');
    await box.locator(`[data-testid="staff-dispute"][data-dispute="${disputeB}"]`).waitFor();
    const decision = box.getByTestId('dispute-decision');
    await decision.getByTestId('decision-kind').getByText('Kembalikan penuh').click();
    expect(await text(decision, 'preview-wallet-idr')).toBe(rp(funded.order.idrTotal!));
    expect(await text(decision, 'preview-supplier-cny')).toBe('¥0.00');
    await decision.getByTestId('decision-note').fill('Pemasok tidak mengirim; dana dikembalikan penuh.');
    await decision.getByTestId('decision-review').click();
    expect(await text(decision, 'decision-confirm-text')).toBe(`Kembalikan ${rp(funded.order.idrTotal!)} ke dompet importir. Pemasok tidak dibayar.`);
    // "Change" goes back to the form; reviewing again confirms.
    await decision.getByTestId('decision-back').click();
    await expect(decision.getByTestId('decision-note').isEnabled()).resolves.toBe(true);
    await decision.getByTestId('decision-review').click();
    const resolving = f.waitForResponse((r) => new URL(r.url()).pathname === `/api/staff/disputes/${disputeB}/resolve`);
    await decision.getByTestId('decision-confirm').click();
    const answer = (await (await resolving).json()) as OrderJson;
    expect(answer.order.status).toBe('refunded');
    expect(answer.installments.map((i) => i.status)).toEqual(['refunded']);
    expect(await text(box, 'decision-notice')).toBe(`Diputuskan: dikembalikan penuh. Pesanan kini dikembalikan. Ke pemasok ¥0.00 (${rp(0n)}); kembali ke dompet ${rp(funded.order.idrTotal!)}.`);

    // Refunded at once: the wallet is back where it was before this order.
    expect(await walletAvailable(page)).toEqual(before);
    await page.reload();
    await waitForStatus(page, 'refunded');
    const resolved = page.getByTestId('dispute-resolved');
    expect(await text(resolved, 'dispute-outcome-text')).toBe('Keputusan: seluruh dana dikembalikan ke dompet Anda.');
    expect(await text(resolved, 'outcome-supplier-cny')).toBe('¥0.00');
    expect(await text(resolved, 'outcome-wallet-idr')).toBe(rp(funded.order.idrTotal!));
    expect(await text(resolved, 'outcome-wallet-cny')).toBe('untuk ¥500.00');
    await expect.poll(() => text(resolved, 'outcome-wallet-available')).toBe(rp(before));
    await expect(resolved.getByTestId('outcome-pending').count()).resolves.toBe(0);
    await harness.shot(page, 'disputes-importer-refunded');
    // In English the labels change, the figures stay.
    await page.getByTestId('lang-en').click();
    await resolved.getByText('Decision: all the money is refunded to your wallet.').waitFor();
    expect(await text(resolved, 'outcome-wallet-idr')).toBe(rp(funded.order.idrTotal!));
    await page.getByTestId('lang-id').click();
    await resolved.getByText('Keputusan: seluruh dana dikembalikan ke dompet Anda.').waitFor();
    expect(finance.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('phone width: the link to the dispute form lands on it; the open dispute, the staff list and detail stay readable; compliance sees the decision disabled', async () => {
    const { page } = importer;
    const funded = await fundedEscrow(page, 300_00n, '3321000000000003');
    const orderC = funded.order.id;
    await page.setViewportSize(PHONE);
    // What the parcels' escrow notice links to: the order with #dispute.
    await page.goto(`/payment-orders/${orderC}#dispute`);
    await waitForStatus(page, 'held');
    const form = page.getByTestId('dispute-form');
    await expect.poll(async () => {
      const b = await form.boundingBox();
      return b ? b.y >= 0 && b.y < PHONE.height / 2 : false;
    }).toBe(true);
    await harness.shot(page, 'disputes-importer-decision-phone', false);
    await harness.shot(page, 'disputes-importer-decision-phone-full');
    await noHorizontalScroll(page);
    await form.getByTestId('dispute-body').fill('Warna kain tidak sesuai pesanan (biru, bukan hijau).');
    await form.getByTestId('dispute-evidence').setInputFiles({ name: 'warna.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await form.getByTestId('dispute-evidence-uploaded').waitFor();
    await form.getByTestId('dispute-submit').click();
    await waitForStatus(page, 'disputed');
    const disputeC = (await apiGet<OrderJson>(page, `/api/payment-orders/${orderC}`)).disputes[0]!.id;
    await harness.shot(page, 'disputes-importer-open-phone');
    await noHorizontalScroll(page);
    await page.goto(`/payment-orders/${orderA}`);
    await page.getByTestId('dispute-resolved').waitFor();
    await harness.shot(page, 'disputes-importer-partial-phone');
    await noHorizontalScroll(page);
    await page.setViewportSize(DESKTOP);

    // Compliance reads and may reply, but the decision is finance's.
    const compliance = await staffLogin('compliance@demo.jembatan.id');
    const c = compliance.page;
    await c.setViewportSize(PHONE);
    await c.getByTestId('tab-disputes').click();
    await c.locator(`[data-testid="dispute-row"][data-dispute="${disputeC}"]`).getByTestId('dispute-customer').getByText(DEMO_IMPORTER.customer).waitFor();
    await harness.shot(c, 'disputes-staff-list-phone');
    await noHorizontalScroll(c);
    await c.locator(`[data-testid="dispute-row"][data-dispute="${disputeC}"]`).click();
    const box = c.getByTestId('staff-dispute-detail');
    const decision = box.getByTestId('dispute-decision');
    await decision.getByTestId('decision-finance-only').waitFor();
    await expect(decision.getByTestId('decision-review').isDisabled()).resolves.toBe(true);
    await box.getByTestId('dispute-message').first().getByTestId('message-evidence').waitFor();
    await harness.shot(c, 'disputes-staff-detail-phone');
    await noHorizontalScroll(c);
    // The order detail links to its disputes.
    await box.getByTestId('dispute-open-order').click();
    const orderCard = c.getByTestId('staff-order-detail');
    await orderCard.locator(`[data-testid="staff-order-disputes"] li[data-dispute="${disputeC}"]`).getByTestId('staff-order-dispute-open').click();
    await c.locator(`[data-testid="staff-dispute"][data-dispute="${disputeC}"]`).waitFor();
    await c.setViewportSize(DESKTOP);
    expect(compliance.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });
});
