/**
 * Funding in real Chromium against the real platform (in-process, ephemeral port, fresh
 * PGlite data directory with the demo data): the importer's wallet (balances, statement,
 * a top-up with its unique amount, withdrawals) and the staff "Dana masuk" console (bank
 * statement upload with preview and import, the review queue with the two-person rule,
 * withdrawals paid with a proof, bank accounts and settings). Real clicks and typing; the
 * API is called directly only to learn the figures the page must show.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../src/identity/totp.ts';
import { formatMoney } from '../src/money/format.ts';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { browserTestsEnabled, PHONE, useBrowserPlatform } from './support/browser.ts';

const runBrowserTests = browserTestsEnabled('browser-funding.test');

type Money = { amount: string; currency: 'IDR' };
interface WalletJson {
  wallets: { currency: string; balance: { posted: Money; pendingOut: Money; available: Money } }[];
}
interface DepositJson {
  id: string;
  status: string;
  referenceCode: string;
  requested: Money;
  uniqueCode: Money;
  amountDue: Money;
  received: Money;
  bank: { id: string; bankCode: string; accountNumber: string; holderName: string };
  createdAt: string;
  expiresAt: string;
}
interface BankAccountJson {
  id: string;
  bankCode: string;
  accountNumber: string;
  ledgerBalance: Money;
}
interface PreviewJson {
  summary: { linesNew: number; creditsMatched: number; creditsReview: number; linesSkipped: number; creditsTotal: Money };
  lines: { lineNo: number; amount: Money; match: { kind?: string; review?: string } | null }[];
  reconciliation: { ledgerBalance: Money; statementBalance: Money | null };
}
interface WithdrawalJson {
  id: string;
  status: string;
  amount: Money;
  proofDocumentId: string | null;
  payoutReference: string | null;
}

const rp = (m: Money | bigint) => formatMoney(typeof m === 'bigint' ? m : m.amount, 'IDR', 'id');
const minor = (m: Money) => BigInt(m.amount);
/** The Jakarta calendar date of an instant, YYYY-MM-DD. */
const jakartaDate = (iso: string) => new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
/** 1×1 PNG, a real image for the content check. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const UNKNOWN_CREDIT = 250_000_000n; // Rp 2.500.000 from a sender nobody knows

/** "12,345,417.00" as KlikBCA writes amounts. */
function bcaNumber(m: bigint): string {
  const whole = (m / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${(m % 100n).toString().padStart(2, '0')}`;
}

/** A KlikBCA "mutasi rekening" export: preamble with the period (the year comes from it), header, rows with DD/MM dates. */
function bcaStatement(date: string, opening: bigint, rows: { text: string; amount: bigint }[], extra: string[] = []): string {
  const [y, m, d] = date.split('-');
  const lastDay = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  let balance = opening;
  const lines = rows.map((r) => {
    balance += r.amount;
    return `'${d}/${m},${r.text},0000,"${bcaNumber(r.amount)} CR","${bcaNumber(balance)}"`;
  });
  return [
    'Informasi Rekening - Mutasi Rekening',
    'No. rekening : 1234567890',
    'Nama : PT JEMBATAN DEMO',
    `Periode : 01/${m}/${y} - ${lastDay}/${m}/${y}`,
    'Kode Mata Uang : Rp',
    '',
    'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo',
    ...lines,
    ...extra,
    `Saldo Awal,,,"${bcaNumber(opening)}"`,
    `Saldo Akhir,,,"${bcaNumber(balance)}"`,
  ].join('\n');
}

describe.runIf(runBrowserTests)('funding in Chromium', { timeout: 240_000 }, () => {
  const harness = useBrowserPlatform('jbt-browser-funding-');
  let importer: { page: Page; errors: string[] };
  let finance: { page: Page; errors: string[] };
  let admin: { page: Page; errors: string[] };
  let deposit: DepositJson;
  let postedBefore: bigint;

  async function text(page: Page, testId: string): Promise<string> {
    return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The API as the signed-in user of `page` (same cookies; the CSRF token for writes). */
  async function apiGet<T>(page: Page, path: string): Promise<T> {
    const res = await page.request.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }

  async function apiPost<T>(page: Page, path: string, body: unknown, status = 200): Promise<T> {
    const { csrfToken } = await apiGet<{ csrfToken: string }>(page, '/api/auth/session');
    const res = await page.request.post(path, { data: body, headers: { 'x-csrf-token': csrfToken } });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(status);
    return (await res.json()) as T;
  }

  async function idrWallet(page: Page) {
    const w = (await apiGet<WalletJson>(page, '/api/wallet')).wallets.find((x) => x.currency === 'IDR');
    return w!.balance;
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
    await page.getByTestId('main-nav').getByRole('link', { name: 'Dana masuk', exact: true }).click();
    await page.getByRole('heading', { name: 'Dana masuk', level: 1 }).waitFor();
    return opened;
  }

  async function clipboard(page: Page): Promise<string> {
    return page.evaluate(() => navigator.clipboard.readText());
  }

  it('importer: the wallet shows the balances the API holds; a top-up shows exactly the amount due, its unique code, the reference and the deadline', async () => {
    importer = await harness.openPage();
    const { page } = importer;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.platform().url });
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(DEMO_IMPORTER.email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByTestId('importer-portal').waitFor();
    await page.getByTestId('main-nav').getByRole('link', { name: 'Dompet' }).click();
    await page.getByRole('heading', { name: 'Dompet', level: 1 }).waitFor();

    const before = await idrWallet(page);
    postedBefore = minor(before.posted);
    expect(postedBefore).toBe(2_500_000_000n); // the demo top-up of Rp 25.000.000
    await expect.poll(() => text(page, 'wallet-posted')).toBe(rp(before.posted));
    expect(await text(page, 'wallet-available')).toBe(rp(before.available));
    expect(await text(page, 'wallet-held')).toBe(rp(before.pendingOut));
    // The statement: the demo top-up, with the running balance.
    const firstRow = page.getByTestId('statement-row').first();
    await firstRow.waitFor();
    expect(((await firstRow.getByTestId('statement-amount').textContent()) ?? '').trim()).toBe(`+${rp(2_500_000_000n)}`);
    expect(((await firstRow.getByTestId('statement-balance').textContent()) ?? '').trim()).toBe(rp(before.posted));
    await harness.shot(page, 'wallet-statement');

    // Top up Rp 12.345.000 into BCA.
    await page.getByTestId('wallet-topup-action').click();
    const form = page.getByTestId('topup-form');
    await expect.poll(() => form.getByTestId('topup-bank').locator('option').count()).toBe(2);
    expect(await form.getByTestId('topup-bank').inputValue()).toBeTruthy();
    await form.getByLabel('Jumlah (rupiah)').fill('12.345.000');
    await form.getByRole('button', { name: 'Buat instruksi transfer' }).click();
    const instructions = page.getByTestId('deposit-instructions');
    await instructions.waitFor();

    const listed = await apiGet<{ deposits: DepositJson[] }>(page, '/api/deposits?limit=1');
    deposit = listed.deposits[0]!;
    expect(deposit.status).toBe('open');
    expect(deposit.requested.amount).toBe('1234500000');
    const code = minor(deposit.uniqueCode) / 100n;
    expect(code >= 1n && code <= 999n).toBe(true);
    expect(minor(deposit.amountDue)).toBe(minor(deposit.requested) + minor(deposit.uniqueCode));
    // Exactly what the API stored, with the last three digits (the unique code) picked out.
    expect(await text(page, 'deposit-amount')).toBe(rp(deposit.amountDue));
    expect(await text(page, 'deposit-amount-code')).toBe(code.toString().padStart(3, '0'));
    await instructions.getByTestId('deposit-why').getByText(`kode unik (${rp(deposit.uniqueCode)})`).waitFor();
    expect(await text(page, 'deposit-bank')).toBe('BCA');
    expect(await text(page, 'deposit-account')).toBe(deposit.bank.accountNumber);
    expect(deposit.bank.accountNumber).toBe('1234567890');
    expect(await text(page, 'deposit-holder')).toBe(deposit.bank.holderName);
    expect(await text(page, 'deposit-reference')).toBe(deposit.referenceCode);
    expect(deposit.referenceCode).toMatch(/^JBT[0-9A-Z]{7}$/);
    // The deadline counts down from the 24 hours a deposit stays open.
    await expect.poll(() => text(page, 'deposit-countdown')).toMatch(/^Sisa 23:5\d:\d\d$/);
    const deadlineText = await text(page, 'deposit-deadline');
    expect(deadlineText).toBe(await page.evaluate((iso) => new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), deposit.expiresAt));

    await harness.shot(page, 'wallet-topup-instructions');

    // Copy buttons: the amount as plain digits for the banking app, the account number, the reference.
    await instructions.getByTestId('copy-amount').click();
    await expect.poll(() => clipboard(page)).toBe((minor(deposit.amountDue) / 100n).toString());
    await instructions.getByTestId('copy-account').click();
    await expect.poll(() => clipboard(page)).toBe('1234567890');
    await instructions.getByRole('button', { name: 'Salin kode referensi' }).click();
    await expect.poll(() => clipboard(page)).toBe(deposit.referenceCode);
    await instructions.getByTestId('copy-reference').getByText('Tersalin').waitFor();

    // The list of own deposits: the new one, waiting for the transfer.
    const row = page.getByTestId('deposits-table').locator(`tr[data-deposit="${deposit.id}"]`);
    await row.getByText('Menunggu transfer').waitFor();
    await expect(row.textContent()).resolves.toContain(rp(deposit.amountDue));

    // In English the labels change, the figures stay.
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor();
    await instructions.getByText('Transfer exactly', { exact: true }).waitFor();
    await instructions.getByTestId('deposit-why').getByText('The last three digits are the unique code').waitFor();
    expect(await text(page, 'deposit-amount')).toBe(rp(deposit.amountDue));
    await expect.poll(() => text(page, 'deposit-countdown')).toMatch(/^Left 23:5\d:\d\d$/);
    await row.getByText('Awaiting transfer').waitFor();
    await page.getByTestId('lang-id').click();
    await page.getByRole('heading', { name: 'Dompet', level: 1 }).waitFor();

    // Phone width: the instructions stack and stay readable.
    await page.setViewportSize(PHONE);
    await instructions.waitFor();
    expect(await text(page, 'deposit-amount')).toBe(rp(deposit.amountDue));
    await harness.shot(page, 'wallet-topup-instructions-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(importer.errors).toEqual([]);
  });

  it('finance: a statement with an unreadable line is refused line by line; the good file previews 1 matched and 1 to review, imports, and reconciles', async () => {
    finance = await staffLogin('finance@demo.jembatan.id');
    const { page } = finance;
    const banks = await apiGet<{ bankAccounts: BankAccountJson[] }>(page, '/api/staff/funding/bank-accounts');
    const bca = banks.bankAccounts.find((b) => b.accountNumber === '1234567890')!;
    await expect.poll(() => page.getByTestId('bank-tile-BCA').getByTestId('bank-ledger-balance').textContent()).toBe(rp(bca.ledgerBalance));

    const upload = page.getByTestId('statement-upload');
    await expect(upload.getByTestId('upload-account').inputValue()).resolves.toBe(bca.id);
    await expect(upload.getByTestId('upload-format').inputValue()).resolves.toBe('bca-csv');
    const date = jakartaDate(deposit.createdAt);
    const [, mm, dd] = date.split('-');
    const rows = [
      { text: `TRSF E-BANKING CR ${dd}${mm}/FTSCY/WS95031 BUDI SANTOSO`, amount: minor(deposit.amountDue) },
      { text: 'TRSF E-BANKING CR 2311/FTSCY/WS95051 PENGIRIM TIDAK DIKENAL', amount: UNKNOWN_CREDIT },
    ];
    const opening = minor(bca.ledgerBalance);
    // A broken copy first: one amount cannot be read.
    const broken = bcaStatement(date, opening, rows, [`'${dd}/${mm},TRSF E-BANKING CR RUSAK,0000,"12,34,5 CR","1.00"`]);
    const badLineNo = broken.split('\n').findIndex((l) => l.includes('RUSAK')) + 1;
    await expect(upload.getByTestId('skip-bad-lines').count()).resolves.toBe(0);
    await upload.getByTestId('upload-file').setInputFiles({ name: 'mutasi-bca-rusak.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await upload.getByTestId('upload-file-name').getByText('mutasi-bca-rusak.csv').waitFor();
    await expect(upload.getByTestId('upload-import').isDisabled()).resolves.toBe(true);
    await upload.getByRole('button', { name: 'Pratinjau', exact: true }).click();
    const rejected = upload.getByTestId('statement-rejected');
    await rejected.getByText('Berkas mutasi rekening tidak dapat diimpor.').waitFor();
    const problemRows = rejected.getByTestId('statement-problems').locator('tbody tr');
    await expect(problemRows.count()).resolves.toBe(1);
    const cells = await problemRows.first().locator('td').allTextContents();
    expect(cells[0]?.trim()).toBe(String(badLineNo));
    expect(cells[1]?.trim()).toBe('Jumlah');
    expect(cells[2]).toContain('12,34,5');
    await harness.shot(page, 'funding-statement-rejected');
    // Only now is skipping offered; with it the preview leaves the line out.
    await upload.getByTestId('skip-bad-lines').getByRole('checkbox').check();
    await upload.getByRole('button', { name: 'Pratinjau', exact: true }).click();
    await upload.getByTestId('statement-preview').waitFor();
    await expect(upload.getByTestId('summary-linesSkipped').getAttribute('data-value')).resolves.toBe('1');
    await upload.getByTestId('preview-problems').getByText('Jumlah').waitFor();

    // The good file.
    const csv = bcaStatement(date, opening, rows);
    await upload.getByTestId('upload-file').setInputFiles({ name: 'mutasi-bca.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await upload.getByTestId('upload-file-name').getByText('mutasi-bca.csv').waitFor();
    await expect(upload.getByTestId('statement-preview').count()).resolves.toBe(0);
    await expect(upload.getByTestId('skip-bad-lines').count()).resolves.toBe(0);
    await upload.getByRole('button', { name: 'Pratinjau', exact: true }).click();
    const preview = upload.getByTestId('statement-preview');
    await preview.waitFor();
    const expected = await apiPost<PreviewJson>(page, '/api/staff/funding/statements/preview', { bankAccountId: bca.id, fileName: 'mutasi-bca.csv', content: csv });
    expect(expected.summary.creditsMatched).toBe(1);
    expect(expected.summary.creditsReview).toBe(1);
    await expect(preview.getByTestId('summary-creditsMatched').getAttribute('data-value')).resolves.toBe('1');
    await expect(preview.getByTestId('summary-creditsReview').getAttribute('data-value')).resolves.toBe('1');
    await expect(preview.getByTestId('summary-linesNew').getAttribute('data-value')).resolves.toBe(String(expected.summary.linesNew));
    expect(await text(page, 'summary-creditsTotal')).toContain(rp(expected.summary.creditsTotal));
    for (const line of expected.lines) {
      const tr = preview.getByTestId('preview-lines').locator(`tr[data-line="${line.lineNo}"]`);
      expect(((await tr.getByTestId('line-amount').textContent()) ?? '').trim()).toBe(`+${rp(line.amount)}`);
      if (line.match?.kind) await expect(tr.getByTestId('line-match').locator('[data-kind]').getAttribute('data-kind')).resolves.toBe(line.match.kind);
      else await expect(tr.getByTestId('line-match').locator('[data-review]').getAttribute('data-review')).resolves.toBe(line.match?.review);
    }
    const depositLine = preview.getByTestId('preview-lines').locator('tr', { hasText: 'BUDI SANTOSO' });
    await depositLine.getByText('Jumlah unik').waitFor();
    await depositLine.getByText(DEMO_IMPORTER.customer).waitFor();
    await preview.getByTestId('preview-lines').locator('tr', { hasText: 'TIDAK DIKENAL' }).getByText('Tidak cocok').waitFor();
    // Reconciliation: the statement ends where the ledger will be after the import.
    expect(await text(page, 'rec-statement')).toBe(rp(opening + minor(deposit.amountDue) + UNKNOWN_CREDIT));
    expect(await text(page, 'rec-ledger')).toBe(rp(expected.reconciliation.ledgerBalance));
    expect(await text(page, 'rec-difference')).toBe('Rp 0');
    await preview.getByTestId('reconciliation-status').getByText('Seimbang').waitFor();
    await harness.shot(page, 'funding-statement-preview');

    await upload.getByRole('button', { name: 'Impor', exact: true }).click();
    const result = upload.getByTestId('import-result');
    await result.getByText('Mutasi mutasi-bca.csv diimpor').waitFor();
    await expect(result.getByTestId('summary-creditsMatched').getAttribute('data-value')).resolves.toBe('1');
    await expect(result.getByTestId('summary-creditsReview').getAttribute('data-value')).resolves.toBe('1');
    expect(await text(page, 'rec-difference')).toBe('Rp 0');
    await result.getByTestId('reconciliation-status').getByText('Seimbang').waitFor();
    const imports = await apiGet<{ imports: { id: string; fileName: string; creditsMatched: number; creditsReview: number; reconciliation: { balanced: boolean } }[] }>(page, '/api/staff/funding/statements');
    expect(imports.imports[0]).toMatchObject({ fileName: 'mutasi-bca.csv', creditsMatched: 1, creditsReview: 1, reconciliation: { balanced: true } });
    // The bank tile shows the new ledger balance.
    await expect.poll(() => page.getByTestId('bank-tile-BCA').getByTestId('bank-ledger-balance').textContent()).toBe(rp(opening + minor(deposit.amountDue) + UNKNOWN_CREDIT));
    await harness.shot(page, 'funding-statement-imported');

    // The same file again: every line is known, nothing would be credited twice.
    await upload.getByRole('button', { name: 'Pratinjau', exact: true }).click();
    await expect.poll(() => preview.getByTestId('summary-linesDuplicate').getAttribute('data-value')).toBe('2');
    await expect(preview.getByTestId('summary-creditsMatched').getAttribute('data-value')).resolves.toBe('0');

    // The past import, with how each line ended.
    await page.getByTestId('imports-table').locator(`tr[data-import="${imports.imports[0]!.id}"]`).click();
    const detail = page.getByTestId('import-detail');
    await detail.getByTestId('import-lines').locator('tr', { hasText: 'BUDI SANTOSO' }).getByText('Cocok').waitFor();
    await detail.getByTestId('import-lines').locator('tr', { hasText: 'TIDAK DIKENAL' }).getByText('Perlu ditinjau').waitFor();
    await harness.shot(page, 'funding-import-detail');
    expect(finance.errors).toEqual([]);
  });

  it('review queue: above the threshold an assignment waits for a second finance user, who cannot be the requester; rejected, then assigned under the threshold', async () => {
    // Admin lowers the two-person threshold below the unknown credit.
    admin = await staffLogin('admin@demo.jembatan.id');
    await admin.page.getByTestId('funding-readonly-note').waitFor();
    await admin.page.getByTestId('tab-accounts').click();
    const settingsForm = admin.page.getByTestId('funding-settings-form');
    await expect(settingsForm.getByTestId('funding-threshold-input').inputValue()).resolves.toBe('50.000.000');
    await settingsForm.getByTestId('funding-threshold-input').fill('1.000.000');
    await settingsForm.getByRole('button', { name: 'Simpan', exact: true }).click();
    await settingsForm.getByText('Tersimpan.').waitFor();
    const lowered = await apiGet<{ settings: { assignmentApprovalThreshold: Money } }>(admin.page, '/api/staff/funding/settings');
    expect(lowered.settings.assignmentApprovalThreshold.amount).toBe('100000000');
    await admin.page.getByTestId('bank-form-' + (await apiGet<{ bankAccounts: BankAccountJson[] }>(admin.page, '/api/staff/funding/bank-accounts')).bankAccounts[0]!.id).waitFor();
    await harness.shot(admin.page, 'funding-accounts-admin');

    const { page } = finance;
    await page.getByTestId('tab-review').click();
    const queue = await apiGet<{ suspenseBalance: Money; lines: { id: string; amount: Money }[] }>(page, '/api/staff/funding/review');
    expect(queue.lines).toHaveLength(1);
    await expect.poll(() => text(page, 'suspense-balance')).toBe(rp(queue.suspenseBalance));
    expect(minor(queue.suspenseBalance)).toBe(UNKNOWN_CREDIT);
    const item = page.locator(`[data-testid="review-line"][data-line-id="${queue.lines[0]!.id}"]`);
    await item.getByText('PENGIRIM TIDAK DIKENAL').waitFor();
    expect(((await item.locator('.review-amount').textContent()) ?? '').trim()).toBe(rp(UNKNOWN_CREDIT));

    async function assignToDemoImporter(note: string, shot?: string) {
      const form = item.getByTestId('decision-form');
      await form.getByLabel('Cari pelanggan').fill('Maju Jaya');
      await form.getByRole('button', { name: 'Cari', exact: true }).click();
      await form.getByTestId('customer-results').getByRole('button', { name: new RegExp(DEMO_IMPORTER.customer) }).click();
      await form.getByTestId('picked-customer').getByText(DEMO_IMPORTER.customer).waitFor();
      await form.getByLabel('Catatan').fill(note);
      if (shot) await harness.shot(page, shot);
      await form.getByRole('button', { name: 'Tetapkan ke dompet' }).click();
    }

    await assignToDemoImporter('Bukti transfer dikirim lewat WhatsApp', 'funding-review-queue');
    const outcome = page.getByTestId('decision-outcome');
    await expect.poll(() => outcome.getAttribute('data-status')).toBe('pending_approval');
    await outcome.getByText('Menunggu persetujuan kedua').waitFor();
    await outcome.getByText(`${rp(UNKNOWN_CREDIT)} ke ${DEMO_IMPORTER.customer} melebihi batas persetujuan`, { exact: false }).waitFor();
    await item.getByText('Menunggu persetujuan pengguna keuangan kedua').waitFor();
    const pendingDecision = page.getByTestId('pending-decision');
    await pendingDecision.getByText(DEMO_IMPORTER.customer).waitFor();
    await harness.shot(page, 'funding-review-pending');

    // The requester cannot approve their own decision: the server's message is shown.
    await pendingDecision.getByRole('button', { name: 'Setujui', exact: true }).click();
    const refused = pendingDecision.locator('[data-code="second_person_required"]');
    await refused.getByText('Pengguna keuangan lain harus menyetujui ini.').waitFor();
    await refused.getByText('You requested this decision; another finance user must approve it.').waitFor();
    await harness.shot(page, 'funding-review-second-person');
    // Rejected instead: the line is back in review.
    await pendingDecision.getByRole('button', { name: 'Tolak', exact: true }).click();
    await pendingDecision.getByLabel('Alasan penolakan').fill('Salah pelanggan, periksa lagi');
    await pendingDecision.getByRole('button', { name: 'Tolak keputusan' }).click();
    await expect.poll(() => outcome.getAttribute('data-status')).toBe('rejected');
    await item.getByTestId('decision-form').waitFor();
    await expect(page.getByTestId('pending-decision').count()).resolves.toBe(0);

    // Admin puts the threshold back; the same assignment now runs at once.
    await settingsForm.getByTestId('funding-threshold-input').fill('50.000.000');
    await settingsForm.getByRole('button', { name: 'Simpan', exact: true }).click();
    await settingsForm.getByText('Tersimpan.').waitFor();
    await expect.poll(async () => (await apiGet<{ settings: { assignmentApprovalThreshold: Money } }>(admin.page, '/api/staff/funding/settings')).settings.assignmentApprovalThreshold.amount).toBe('5000000000');

    await assignToDemoImporter('Bukti transfer dikonfirmasi pelanggan');
    await expect.poll(() => outcome.getAttribute('data-status')).toBe('done');
    await outcome.getByText(`${rp(UNKNOWN_CREDIT)} masuk ke dompet ${DEMO_IMPORTER.customer}.`).waitFor();
    await page.getByTestId('review-queue').getByText('Tidak ada kredit yang menunggu').waitFor();
    await expect.poll(() => text(page, 'suspense-balance')).toBe('Rp 0');
    const after = await apiGet<{ suspenseBalance: Money; lines: unknown[] }>(page, '/api/staff/funding/review');
    expect(after.lines).toHaveLength(0);
    expect(after.suspenseBalance.amount).toBe('0');
    await harness.shot(page, 'funding-review-done');

    // All customers' deposits: the demo importer's is paid.
    await page.getByTestId('tab-deposits').click();
    const depositRow = page.getByTestId('staff-deposits-table').locator(`tr[data-deposit="${deposit.id}"]`);
    await depositRow.getByTestId('deposit-status').getByText('Lunas').waitFor();
    await depositRow.getByText(DEMO_IMPORTER.customer).waitFor();
    await page.getByTestId('deposit-status-filter').selectOption('open');
    await expect.poll(() => depositRow.count()).toBe(0);
    await page.getByTestId('deposit-status-filter').selectOption('paid');
    await depositRow.click();
    await page.getByTestId('staff-deposit-detail').getByText('Mutasi bank').waitFor();
    await harness.shot(page, 'funding-deposits');
    expect(finance.errors).toEqual([]);
    expect(admin.errors).toEqual([]);
  });

  it('importer: the deposit is paid and the wallet grew by both credits', async () => {
    const { page } = importer;
    await page.goto(`/wallet?tab=topup&deposit=${deposit.id}`);
    const detail = page.getByTestId('deposit-detail');
    await detail.getByTestId('deposit-status').getByText('Lunas').waitFor();
    await expect(detail.getByTestId('deposit-instructions').count()).resolves.toBe(0);
    expect(await text(page, 'deposit-fact-received')).toBe(rp(deposit.amountDue));
    await detail.getByTestId('deposit-credits').getByText('Mutasi bank').waitFor();
    const api = (await apiGet<{ deposit: DepositJson }>(page, `/api/deposits/${deposit.id}`)).deposit;
    expect(api.status).toBe('paid');
    expect(api.received.amount).toBe(deposit.amountDue.amount);
    await page.getByTestId('deposits-table').locator(`tr[data-deposit="${deposit.id}"]`).getByTestId('deposit-status').getByText('Lunas').waitFor();
    await harness.shot(page, 'wallet-deposit-paid');

    const now = await idrWallet(page);
    expect(minor(now.posted)).toBe(postedBefore + minor(deposit.amountDue) + UNKNOWN_CREDIT);
    expect(await text(page, 'wallet-posted')).toBe(rp(now.posted));
    expect(await text(page, 'wallet-available')).toBe(rp(now.available));
    await page.getByTestId('tab-statement').click();
    const rows = page.getByTestId('statement-row');
    await expect.poll(() => rows.count()).toBe(3);
    // Newest first: the assignment by finance, then the matched transfer.
    await rows.nth(0).getByText('Setoran (dicocokkan oleh tim keuangan)').waitFor();
    expect(((await rows.nth(0).getByTestId('statement-amount').textContent()) ?? '').trim()).toBe(`+${rp(UNKNOWN_CREDIT)}`);
    expect(((await rows.nth(0).getByTestId('statement-balance').textContent()) ?? '').trim()).toBe(rp(now.posted));
    expect(((await rows.nth(1).getByTestId('statement-amount').textContent()) ?? '').trim()).toBe(`+${rp(deposit.amountDue)}`);
    expect(((await rows.nth(1).getByTestId('statement-balance').textContent()) ?? '').trim()).toBe(rp(postedBefore + minor(deposit.amountDue)));

    // A second top-up, cancelled before any money arrives (the button asks once more).
    await page.getByTestId('wallet-topup-action').click();
    await page.getByTestId('topup-form').getByRole('button', { name: 'Rp 5.000.000' }).click();
    await expect(page.getByTestId('topup-amount').inputValue()).resolves.toBe('5000000');
    await page.getByTestId('topup-form').getByRole('button', { name: 'Buat instruksi transfer' }).click();
    const second = page.getByTestId('deposit-detail');
    await second.getByTestId('deposit-instructions').waitFor();
    const secondId = (await apiGet<{ deposits: DepositJson[] }>(page, '/api/deposits?limit=1')).deposits[0]!;
    expect(secondId.id).not.toBe(deposit.id);
    expect(await text(page, 'deposit-amount')).toBe(rp(secondId.amountDue));
    await second.getByRole('button', { name: 'Batalkan' }).click();
    await second.getByRole('button', { name: 'Yakin?' }).click();
    await second.getByTestId('deposit-status').getByText('Dibatalkan').waitFor();
    await expect(second.getByTestId('deposit-instructions').count()).resolves.toBe(0);
    expect((await apiGet<{ deposit: DepositJson }>(page, `/api/deposits/${secondId.id}`)).deposit.status).toBe('cancelled');
    await page.getByTestId('deposits-table').locator(`tr[data-deposit="${secondId.id}"]`).getByTestId('deposit-status').getByText('Dibatalkan').waitFor();
    expect(importer.errors).toEqual([]);
  });

  it('withdrawal: the importer asks, finance approves and marks it paid with a PNG proof, the importer sees it paid', async () => {
    const { page } = importer;
    const before = await idrWallet(page);
    await page.getByTestId('wallet-withdraw-action').click();
    const form = page.getByTestId('withdraw-form');
    await form.getByText(`Tersedia: ${rp(before.available)}`).waitFor();
    // More than available is caught before asking the server.
    await form.getByLabel('Jumlah', { exact: true }).fill('999.999.999');
    await form.getByLabel('Bank tujuan').fill('BCA');
    await form.getByLabel('Nomor rekening tujuan').fill('0987 654 321');
    await expect(form.getByLabel('Nama pemilik rekening').inputValue()).resolves.toBe(DEMO_IMPORTER.customer);
    await form.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await form.getByText('Melebihi saldo tersedia').waitFor();
    await form.getByLabel('Jumlah', { exact: true }).fill('1.000.000');
    await form.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await form.getByText('Permintaan penarikan Rp 1.000.000 dikirim').waitFor();
    const mine = (await apiGet<{ withdrawals: WithdrawalJson[] }>(page, '/api/withdrawals')).withdrawals[0]!;
    expect(mine).toMatchObject({ status: 'requested', amount: { amount: '100000000' } });
    const row = page.getByTestId('withdrawals-table').locator(`tr[data-withdrawal="${mine.id}"]`);
    await row.getByTestId('withdrawal-status').getByText('Diajukan').waitFor();
    await row.getByText('0987654321').waitFor();
    // The amount is held: still posted, no longer available.
    const held = await idrWallet(page);
    expect(minor(held.pendingOut)).toBe(100_000_000n);
    await expect.poll(() => text(page, 'wallet-held')).toBe(rp(held.pendingOut));
    expect(await text(page, 'wallet-available')).toBe(rp(held.available));
    expect(minor(held.available)).toBe(minor(before.available) - 100_000_000n);
    await page.getByTestId('wallet-holds').getByText('Ditahan untuk penarikan').waitFor();
    await harness.shot(page, 'wallet-withdrawal-requested');

    // Finance approves, then records the transfer with a proof.
    const fin = finance.page;
    await fin.getByTestId('tab-withdrawals').click();
    const staffRow = fin.getByTestId('staff-withdrawals-table').locator(`tr[data-withdrawal="${mine.id}"]`);
    await staffRow.getByText(DEMO_IMPORTER.customer).first().waitFor();
    await staffRow.getByRole('button', { name: 'Setujui' }).click();
    await staffRow.getByTestId('withdrawal-status').getByText('Disetujui').waitFor();
    await staffRow.getByRole('button', { name: 'Tandai dibayar' }).click();
    const paidForm = fin.getByTestId('mark-paid-form');
    await expect(paidForm.getByTestId('paid-account').locator('option').first().textContent()).resolves.toContain('BCA');
    await paidForm.getByLabel('Referensi transfer bank').fill('BCA-TRF-000123');
    await paidForm.getByTestId('paid-proof').setInputFiles({ name: 'bukti-transfer.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await paidForm.getByTestId('paid-proof-name').getByText('bukti-transfer.png').waitFor();
    await harness.shot(fin, 'funding-withdrawal-mark-paid');
    await paidForm.getByRole('button', { name: 'Tandai dibayar' }).click();
    await fin.getByTestId('withdrawal-notice').getByText('Penarikan Rp 1.000.000 dicatat sudah dibayar.').waitFor();
    await staffRow.getByTestId('withdrawal-status').getByText('Dibayar').waitFor();
    await staffRow.getByText('BCA-TRF-000123').waitFor();
    await harness.shot(fin, 'funding-withdrawals');
    const paid = (await apiGet<{ withdrawals: WithdrawalJson[] }>(fin, '/api/staff/funding/withdrawals?status=paid')).withdrawals.find((w) => w.id === mine.id)!;
    expect(paid.payoutReference).toBe('BCA-TRF-000123');
    expect(paid.proofDocumentId).toBeTruthy();

    // The importer sees it paid, with the proof to download; the held money left the wallet.
    await page.reload();
    await row.getByTestId('withdrawal-status').getByText('Dibayar').waitFor();
    const proofHref = await row.getByTestId('withdrawal-proof').getAttribute('href');
    expect(proofHref).toBe(`/api/documents/${paid.proofDocumentId}`);
    const proof = await page.request.get(proofHref!);
    expect(proof.status()).toBe(200);
    expect(proof.headers()['content-type']).toBe('image/png');
    expect(Buffer.from(await proof.body()).equals(PNG_1X1)).toBe(true);
    const after = await idrWallet(page);
    expect(minor(after.posted)).toBe(minor(before.posted) - 100_000_000n);
    expect(after.pendingOut.amount).toBe('0');
    await expect.poll(() => text(page, 'wallet-posted')).toBe(rp(after.posted));
    expect(await text(page, 'wallet-held')).toBe('Rp 0');
    await harness.shot(page, 'wallet-withdrawal-paid');

    // Another request, cancelled by the importer while it waits: the hold is released. The form offers the account used last time.
    await page.getByTestId('tab-withdraw').click();
    await expect.poll(() => form.getByLabel('Nomor rekening tujuan').inputValue()).toBe('0987654321');
    await expect(form.getByLabel('Bank tujuan').inputValue()).resolves.toBe('BCA');
    await form.getByLabel('Jumlah', { exact: true }).fill('500.000');
    await form.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await form.getByText('Permintaan penarikan Rp 500.000 dikirim').waitFor();
    const again = (await apiGet<{ withdrawals: WithdrawalJson[] }>(page, '/api/withdrawals')).withdrawals[0]!;
    const againRow = page.getByTestId('withdrawals-table').locator(`tr[data-withdrawal="${again.id}"]`);
    await againRow.getByTestId('withdrawal-status').getByText('Diajukan').waitFor();
    await expect.poll(() => text(page, 'wallet-held')).toBe('Rp 500.000');
    await againRow.getByRole('button', { name: 'Batalkan' }).click();
    await againRow.getByRole('button', { name: 'Yakin?' }).click();
    await againRow.getByTestId('withdrawal-status').getByText('Dibatalkan').waitFor();
    await expect.poll(() => text(page, 'wallet-held')).toBe('Rp 0');
    expect((await idrWallet(page)).pendingOut.amount).toBe('0');

    // The wallet on a phone.
    await page.setViewportSize(PHONE);
    await page.getByTestId('tab-statement').click();
    await page.getByTestId('statement-row').first().getByText('Penarikan').waitFor();
    expect(await text(page, 'wallet-posted')).toBe(rp(after.posted));
    await harness.shot(page, 'wallet-phone');
    expect(importer.errors).toEqual([]);
    expect(finance.errors).toEqual([]);
  });

  it('operations staff read the funding console but cannot import, decide or pay', async () => {
    const ops = await staffLogin('ops@demo.jembatan.id');
    const { page } = ops;
    await page.getByTestId('funding-readonly-note').getByText('hanya peran Keuangan').waitFor();
    await page.getByTestId('imports-table').getByText('mutasi-bca.csv').waitFor();
    await expect(page.getByTestId('statement-upload').count()).resolves.toBe(0);
    await page.getByTestId('tab-withdrawals').click();
    await page.getByTestId('staff-withdrawals-table').getByTestId('withdrawal-status').getByText('Dibayar').first().waitFor();
    await expect(page.getByRole('button', { name: 'Setujui' }).count()).resolves.toBe(0);
    await page.getByTestId('tab-accounts').click();
    await page.getByTestId('funding-settings').getByTestId('funding-threshold').getByText('Rp 50.000.000').waitFor();
    await expect(page.getByTestId('funding-settings-form').count()).resolves.toBe(0);
    await page.setViewportSize(PHONE);
    await page.getByTestId('tab-statements').click();
    await page.getByTestId('imports-table').waitFor();
    await harness.shot(page, 'funding-readonly-phone');
    expect(ops.errors).toEqual([]);
  });
});
