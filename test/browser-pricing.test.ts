/**
 * The price pages in real Chromium against the real platform (in-process, ephemeral port,
 * fresh PGlite data directory with the demo data and its 90 days of demo rates): the public
 * quote calculator, fee table and rate chart; the landed-cost calculator; and the staff
 * "Rates & fees" console for admin and finance. Real clicks and typing; the API is called
 * directly only to learn the figures the page must show.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsEnabled, DESKTOP, PHONE, useBrowserPlatform } from './support/browser.ts';
import { currentTotp } from '../src/identity/totp.ts';
import { formatMoney } from '../src/money/format.ts';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { formatRate } from '../web/src/money.ts';

const runBrowserTests = browserTestsEnabled('browser-pricing.test');


type Money = { amount: string; currency: 'IDR' | 'CNY' };
interface QuoteJson {
  total: Money;
  cny: Money;
  idrBudget: Money | null;
  lines: { code: string; amount: Money }[];
  reference: { rate: string; source: string };
  fee: { minimumApplied: boolean; minimum: Money };
  bankWire: { total: Money; saving: Money; wireFee: Money; goods: Money };
}
interface LandedJson {
  total: Money;
  perUnit: Money;
  duty: { amount: Money };
  ppn: { amount: Money };
  pph22: { amount: Money };
  customs: { cif: Money };
  taxesAndDuties: Money;
  payment: { total: Money };
}

const rp = (m: Money) => formatMoney(m.amount, m.currency, 'id');

describe.runIf(runBrowserTests)('price pages in Chromium', { timeout: 180_000 }, () => {
  const harness = useBrowserPlatform('jbt-browser-pricing-');
  const openPage = harness.openPage;
  const shot = harness.shot;

  /** What the API answers for a request, signed out: the figures the page must show. */
  async function apiPost<T>(urlPath: string, body: unknown): Promise<T> {
    const res = await fetch(`${harness.platform().url}${urlPath}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, `${urlPath}: ${await res.clone().text()}`).toBe(200);
    return (await res.json()) as T;
  }

  async function text(page: Page, testId: string): Promise<string> {
    return ((await page.getByTestId(testId).textContent()) ?? '').trim();
  }

  /** A table body's rows as "cell | cell", whitespace (incl. no-break spaces) made plain. */
  async function tableRows(table: Locator): Promise<string[]> {
    return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | ')));
  }

  async function staffLogin(page: Page, email: string) {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByLabel('Kode verifikasi').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await page.getByTestId('staff-console').waitFor();
  }

  it('signed out: the price page quotes ¥1,000 with every line, the bank comparison and the fee table, in Indonesian and English', async () => {
    const { page, errors } = await openPage();
    // The login page links to the public price page.
    await page.goto('/login');
    await page.getByRole('link', { name: /Cek harga/ }).click();
    await page.getByTestId('public-pricing').waitFor();
    expect(new URL(page.url()).pathname).toBe('/harga');
    await page.getByRole('heading', { name: 'Kalkulator kutipan' }).waitFor();

    // The fee schedule in force, as a table, with the spreads and the lock.
    const fees = page.getByTestId('fee-table');
    await fees.waitFor();
    expect(await tableRows(fees)).toEqual(['USD 0 – 1.000 | 1,0 %', 'USD 1.000 – 10.000 | 0,6 %', 'mulai USD 10.000 | 0,4 %', 'Biaya minimum per pembayaran | Rp 25.000']);
    await page.getByTestId('spreads').getByText('CNY/IDR · Standar').waitFor();
    await page.getByTestId('spreads').getByText('15 menit').waitFor();
    // The chart draws the 90 days of demo rates.
    await page.getByTestId('rate-chart').locator('path.chart-line').waitFor();
    await page.getByTestId('rate-summary').getByText('Terakhir').waitFor();

    await page.getByLabel('Nilai invoice (yuan)').fill('1000');
    await page.getByRole('button', { name: 'Hitung', exact: true }).click();
    await page.getByTestId('quote-total').waitFor();
    const expected = await apiPost<QuoteJson>('/api/quotes', { cny: { amount: '100000', currency: 'CNY' } });

    expect(await text(page, 'quote-total')).toBe(rp(expected.total));
    const breakdown = page.getByTestId('quote-breakdown');
    for (const line of expected.lines) {
      await expect(breakdown.locator(`tr[data-line="${line.code}"] td`).textContent(), line.code).resolves.toBe(rp(line.amount));
    }
    await expect(breakdown.locator('tr[data-line="total"] td').textContent()).resolves.toBe(rp(expected.total));
    const refRow = breakdown.locator('tr[data-row="reference-rate"]');
    await expect(refRow.textContent()).resolves.toContain(formatRate('CNY/IDR', expected.reference.rate, 'id'));
    await expect(refRow.textContent()).resolves.toContain('Sumber: demo');
    await breakdown.getByText('Pembulatan ke atas ke rupiah penuh').waitFor();
    await breakdown.getByText(/Selisih kurs 1,2\s%/).first().waitFor();
    // ¥1,000 is below the minimum fee's break-even: the page says the minimum applies.
    expect(expected.fee.minimumApplied).toBe(true);
    await breakdown.getByText('Biaya minimum Rp 25.000 berlaku').waitFor();
    await page.getByTestId('quote-lock').getByText('Harga terkunci').waitFor();

    const bank = page.getByTestId('bank-comparison');
    expect(await text(page, 'bank-total')).toBe(rp(expected.bankWire.total));
    await expect(bank.textContent()).resolves.toContain(rp(expected.bankWire.wireFee));
    expect(BigInt(expected.bankWire.saving.amount) > 0n).toBe(true);
    expect(await text(page, 'bank-saving')).toBe(`Anda hemat ${rp(expected.bankWire.saving)} dibanding transfer bank.`);
    // Signed out: accepting needs an account.
    await page.getByTestId('quote-sign-in').getByText('Masuk untuk menerima').waitFor();
    await expect(page.getByTestId('quote-accept-button').count()).resolves.toBe(0);
    await shot(page, 'pricing-quote');

    // English: the labels change, the figures stay.
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Quote calculator' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Kalkulator kutipan' }).count()).resolves.toBe(0);
    await page.getByText('Total you pay').waitFor();
    await breakdown.getByText('Rounded up to a whole rupiah').waitFor();
    await breakdown.getByText('Service fee 1.0%').waitFor();
    await page.getByTestId('quote-sign-in').getByText('Sign in to accept').waitFor();
    await page.getByRole('heading', { name: 'Service fees in force' }).waitFor();
    expect((await tableRows(page.getByTestId('fee-table')))[0]).toBe('USD 0 – 1,000 | 1.0%');
    expect(await text(page, 'quote-total')).toBe(rp(expected.total));
    expect(await text(page, 'bank-saving')).toBe(`You save ${rp(expected.bankWire.saving)} compared with a bank wire.`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');

    // A rupiah budget: how many yuan it pays, all in.
    await page.getByTestId('quote-mode').getByText('Rupiah budget').click();
    await page.getByLabel('Budget (rupiah)').fill('5.000.000');
    await page.getByRole('button', { name: 'Calculate', exact: true }).click();
    await page.getByTestId('quote-total').waitFor();
    const budget = await apiPost<QuoteJson>('/api/quotes', { idrBudget: { amount: '500000000', currency: 'IDR' } });
    expect(await text(page, 'quote-total')).toBe(rp(budget.total));
    await page.getByText(`A budget of Rp 5.000.000 pays ${formatMoney(budget.cny.amount, 'CNY', 'en')} to the supplier`, { exact: false }).waitFor();

    // A bad amount is caught before asking the server.
    await page.getByLabel('Budget (rupiah)').fill('12,3,4');
    await page.getByRole('button', { name: 'Calculate', exact: true }).click();
    await page.getByText('Enter a valid amount above zero.').waitFor();

    // Phone: the same page, stacked.
    await page.getByTestId('lang-id').click();
    await page.setViewportSize(PHONE);
    await page.getByTestId('quote-mode').getByText('Jumlah yuan').click();
    await page.getByLabel('Nilai invoice (yuan)').fill('25000');
    await page.getByRole('button', { name: 'Hitung', exact: true }).click();
    const phoneQuote = await apiPost<QuoteJson>('/api/quotes', { cny: { amount: '2500000', currency: 'CNY' } });
    await expect.poll(() => text(page, 'quote-total')).toBe(rp(phoneQuote.total));
    await shot(page, 'pricing-quote-phone');
    expect(errors).toEqual([]);
  });

  it('an importer signs in from the price page and accepts a quote', async () => {
    const { page, errors } = await openPage();
    await page.goto('/harga');
    await page.getByLabel('Nilai invoice (yuan)').fill('2500');
    await page.getByRole('button', { name: 'Hitung', exact: true }).click();
    await page.getByTestId('quote-sign-in').click();
    await page.getByLabel('E-mail').fill(DEMO_IMPORTER.email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    // Back on the price page, signed in.
    await page.getByTestId('public-dashboard').waitFor();
    expect(new URL(page.url()).pathname).toBe('/harga');
    await page.getByLabel('Nilai invoice (yuan)').fill('2500');
    await page.getByRole('button', { name: 'Hitung', exact: true }).click();
    await page.getByTestId('quote-accept-button').click();
    const accepted = page.getByTestId('quote-accept');
    await accepted.getByText('Kutipan diterima').waitFor();
    await expect(accepted.textContent()).resolves.toMatch(/qt_[0-9a-z]+/);
    expect(errors).toEqual([]);
  });

  it('landed-cost calculator: the total and per-unit cost equal what the API computes', async () => {
    const { page, errors } = await openPage();
    await page.goto('/harga#biaya-sampai');
    const form = page.getByTestId('landed-form');
    // The customs rate is prefilled with the latest reference rate, as a hint.
    await expect.poll(async () => (await page.getByTestId('landed-ndpbm').inputValue()).length > 0).toBe(true);
    await expect(page.getByTestId('landed-duty').inputValue()).resolves.toBe('7.5');

    await form.getByLabel('Nilai barang (yuan)').fill('10.000');
    await form.getByLabel('Ongkir di Tiongkok (yuan)').fill('500');
    await form.getByLabel('Ongkos kirim ke Indonesia (rupiah)').fill('1.500.000');
    await form.getByLabel('Asuransi (rupiah)').fill('50.000');
    await form.getByLabel('Jumlah unit').fill('100');
    await form.getByLabel('Kurs pajak NDPBM').fill('2300,5');
    await form.getByRole('button', { name: 'Hitung biaya sampai' }).click();
    await page.getByTestId('landed-total').waitFor();

    const request = {
      goodsCny: { amount: '1000000', currency: 'CNY' },
      chinaShippingCny: { amount: '50000', currency: 'CNY' },
      freight: { amount: '150000000', currency: 'IDR' },
      insurance: { amount: '5000000', currency: 'IDR' },
      quantity: 100,
      dutyPercent: '7.5',
      hasApi: true,
      listedGoods: false,
      ndpbmCnyIdr: '2300.5',
      regime: 'general',
    };
    const expected = await apiPost<LandedJson>('/api/costing/landed-cost', request);
    expect(await text(page, 'landed-total')).toBe(rp(expected.total));
    expect(await text(page, 'landed-per-unit')).toBe(rp(expected.perUnit));
    const rows = page.getByTestId('landed-breakdown');
    await expect(rows.locator('tr[data-row="cif"] td').textContent()).resolves.toBe(rp(expected.customs.cif));
    await expect(rows.locator('tr[data-row="duty"] td').textContent()).resolves.toBe(rp(expected.duty.amount));
    await expect(rows.locator('tr[data-row="ppn"] td').textContent()).resolves.toBe(rp(expected.ppn.amount));
    await expect(rows.locator('tr[data-row="pph22"] td').textContent()).resolves.toBe(rp(expected.pph22.amount));
    await expect(rows.locator('tr[data-row="taxes"] td').textContent()).resolves.toBe(rp(expected.taxesAndDuties));
    await rows.getByText(/PPh 22 impor 2,5\s%/).waitFor();
    await rows.getByText(/× 11\/12 × 12\s% = efektif 11\s%/).waitFor();
    await page.getByTestId('landed-summary').getByText(rp(expected.payment.total)).waitFor();
    // The legal basis of each rate is one click away.
    await page.getByTestId('landed-rules').locator('summary').click();
    await page.getByTestId('landed-rules').getByText(/PMK 34\/2017/).first().waitFor();
    await shot(page, 'pricing-landed-cost');

    // Without an API the PPh 22 rate changes, and the figures still match the API.
    await page.getByTestId('landed-api').getByText('Tidak', { exact: true }).click();
    await form.getByRole('button', { name: 'Hitung biaya sampai' }).click();
    const noApi = await apiPost<LandedJson>('/api/costing/landed-cost', { ...request, hasApi: false });
    await expect.poll(() => text(page, 'landed-total')).toBe(rp(noApi.total));
    expect(await text(page, 'landed-per-unit')).toBe(rp(noApi.perUnit));
    await rows.getByText(/PPh 22 impor 7,5\s%/).waitFor();

    await page.setViewportSize(PHONE);
    await page.getByTestId('landed-cost').scrollIntoViewIfNeeded();
    await shot(page, 'pricing-landed-cost-phone');
    expect(errors).toEqual([]);
  });

  it('staff: admin records a rate and it becomes the current rate; finance records rates but cannot edit spreads, fees or settings', async () => {
    const { page, errors } = await openPage();
    await staffLogin(page, 'admin@demo.jembatan.id');
    await page.getByTestId('main-nav').getByRole('link', { name: 'Kurs & biaya', exact: true }).click();
    await page.getByRole('heading', { name: 'Kurs & biaya', level: 1 }).waitFor();
    const cnyTile = page.getByTestId('current-rate-CNY/IDR');
    await cnyTile.getByText('demo').waitFor();
    await page.getByTestId('rate-chart').locator('path.chart-line').waitFor();

    const record = page.getByTestId('record-rate-form');
    await record.getByLabel('Kurs', { exact: true }).fill('2301.25');
    await record.getByRole('button', { name: 'Simpan kurs' }).click();
    await record.getByText('Kurs disimpan dan berlaku untuk kutipan baru.').waitFor();
    await expect.poll(() => cnyTile.getByTestId('current-rate-value').textContent()).toBe('2.301,25');
    await cnyTile.getByText('jisdor').waitFor();
    // The public page quotes from it at once.
    const pricing = (await (await fetch(`${harness.platform().url}/api/public/pricing`)).json()) as { rates: { pair: string; rate: string }[] };
    expect(pricing.rates.find((r) => r.pair === 'CNY/IDR')?.rate).toBe('2301.25');

    // CSV import: a bad line is named; a good file is imported.
    const importForm = page.getByTestId('import-rates-form');
    await importForm.getByLabel('Isi CSV').fill('date,pair,rate\n2026-01-05,CNY/IDR,2291.40\n2026-01-06,CNY/IDR,abc');
    await importForm.getByRole('button', { name: 'Impor', exact: true }).click();
    await importForm.getByRole('alert').getByText(/Line 3/).waitFor();
    await importForm.getByLabel('Isi CSV').fill('date,pair,rate\n2026-01-05,CNY/IDR,2291.40\n2026-01-05,USD/IDR,16310');
    await importForm.getByRole('button', { name: 'Impor', exact: true }).click();
    await importForm.getByText('2 baris diterima: 2 disimpan, 0 sudah ada.').waitFor();
    await shot(page, 'staff-rates');

    // Admin sees and uses the edit forms: a fee schedule for tomorrow, copied from the current one.
    await page.getByTestId('tab-spreads').click();
    const spreadForm = page.getByTestId('spread-form');
    await spreadForm.getByLabel('Tingkat harga').fill('priority');
    await spreadForm.getByLabel('Selisih (%)').fill('0,65');
    await spreadForm.getByLabel(/Berlaku mulai/).fill('2030-01-01T00:00');
    await spreadForm.getByRole('button', { name: 'Simpan selisih' }).click();
    await spreadForm.getByText('Selisih kurs disimpan.').waitFor();
    const newSpread = page.getByTestId('spreads-table').getByRole('row').filter({ hasText: /0,65\s%/ });
    await newSpread.getByText('Terjadwal').waitFor();
    await expect(newSpread.textContent()).resolves.toContain('Prioritas');
    await page.getByTestId('tab-fees').click();
    const feeForm = page.getByTestId('fee-schedule-form');
    await feeForm.getByRole('button', { name: 'Salin jadwal terakhir' }).click();
    await expect(feeForm.getByTestId('tier-row').count()).resolves.toBe(3);
    await feeForm.getByLabel('Catatan').fill('Promo akhir tahun');
    await feeForm.getByRole('button', { name: 'Simpan jadwal biaya' }).click();
    await feeForm.getByText('Jadwal biaya disimpan.').waitFor();
    const scheduled = page.getByTestId('fee-schedule-item').filter({ hasText: 'Promo akhir tahun' });
    await scheduled.getByText('Terjadwal').waitFor();
    await shot(page, 'staff-fees');
    await page.getByTestId('tab-settings').click();
    const settingsForm = page.getByTestId('settings-form');
    await expect(settingsForm.getByLabel('Lama kunci harga (menit)').inputValue()).resolves.toBe('15');
    await settingsForm.getByLabel('Biaya transfer bank').fill('30');
    await settingsForm.getByRole('button', { name: 'Simpan', exact: true }).click();
    await settingsForm.getByText('Tersimpan.').waitFor();
    const after = (await (await fetch(`${harness.platform().url}/api/public/pricing`)).json()) as { bankWire: { wireFeeUsd: string } };
    expect(after.bankWire.wireFeeUsd).toBe('30');

    await page.getByTestId('tab-rates').click();
    await page.setViewportSize(PHONE);
    await cnyTile.waitFor();
    await shot(page, 'staff-rates-phone');

    // Finance: records rates, reads spreads, fees and settings, edits none of them.
    const fin = await openPage();
    await staffLogin(fin.page, 'finance@demo.jembatan.id');
    await fin.page.getByTestId('main-nav').getByRole('link', { name: 'Kurs & biaya', exact: true }).click();
    await fin.page.getByTestId('rates-readonly-note').waitFor();
    await fin.page.getByTestId('record-rate-form').waitFor();
    await fin.page.getByTestId('import-rates-form').waitFor();
    await fin.page.getByTestId('tab-spreads').click();
    await fin.page.getByTestId('spreads-table').waitFor();
    await expect(fin.page.getByTestId('spread-form').count()).resolves.toBe(0);
    await fin.page.getByTestId('tab-fees').click();
    await fin.page.getByTestId('fee-schedules').getByTestId('fee-schedule-item').first().waitFor();
    await expect(fin.page.getByTestId('fee-schedule-form').count()).resolves.toBe(0);
    await fin.page.getByTestId('tab-settings').click();
    await fin.page.getByTestId('pricing-settings').getByText('15 menit').waitFor();
    await expect(fin.page.getByTestId('settings-form').count()).resolves.toBe(0);
    await shot(fin.page, 'staff-rates-finance-settings');
    expect(errors).toEqual([]);
    expect(fin.errors).toEqual([]);
  });
});
