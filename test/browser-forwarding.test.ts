/**
 * Forwarding in real Chromium against the real platform (in-process, ephemeral port, fresh
 * PGlite data directory with the demo data: warehouses GZ and YW, tariffs to Jakarta and
 * Surabaya, three parcels in GZ for CV Maju Jaya Abadi). On a phone the warehouse user
 * receives a parcel by its marking code with a photo (the server's field error beside the
 * field, a second receipt of the same tracking number refused with a link), receives one
 * without a code and assigns it from the unidentified queue; the importer sees the parcel
 * with its photo and free days, compares air and sea for two parcels figure by figure
 * against the API's answer, and requests an air shipment held on the wallet; the warehouse
 * packs it, issues the invoice and records the departure with an AWB; the importer sees the
 * invoice, the settled difference and the timeline with the ETA, and opens the landed-cost
 * calculator with the shipment's figures. Then: the importer claims the demo's unmarked parcel
 * with a screenshot and the warehouse opens that evidence and approves the claim; a parcel near
 * its abandonment date is flagged for the importer and the staff, and a misread parcel is given
 * to its right owner (a wrong check digit refused as it is typed); an invoice measured more than
 * the tolerance above the estimate waits (the warehouse sees the cancel date and re-measures, the
 * importer is told why and pays with the button, in Indonesian and English); finance writes a
 * credit note that the importer sees; a wet parcel of an escrow order keeps the money held and
 * sends the importer to the order; a difference the wallet cannot cover is offered as a bank
 * transfer of the shortfall, the same one when asked twice. The API is called directly only to learn the figures the
 * page must show (and, twice, to set up a state: a near abandonment date, a second importer's
 * marking code, an escrow order).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../src/identity/totp.ts';
import { addDays, chinaDate } from '../src/forwarding/storage-fees.ts';
import { ensureMarkingCode } from '../src/forwarding/warehouses.ts';
import { luhnCheckDigit } from '../src/lib/luhn.ts';
import { formatMoney } from '../src/money/format.ts';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { formatDecimal, minorToInput } from '../web/src/money.ts';
import { browserTestsEnabled, DESKTOP, PHONE, useBrowserPlatform } from './support/browser.ts';

const runBrowserTests = browserTestsEnabled('browser-forwarding.test');

type Money = { amount: string; currency: 'IDR' | 'CNY' };
interface ParcelJson {
  id: string;
  status: string;
  trackingNumber: string;
  cartons: number;
  weightKg: string;
  lengthCm: string;
  widthCm: string;
  heightCm: string;
  volumeCbm: string;
  freeDaysLeft: number | null;
  photoIds: string[];
  customerId: string | null;
  warehouseId: string;
}
interface QuoteJson {
  mode: string;
  basis: 'kg' | 'cbm';
  actualKg: string;
  volumeCbm: string;
  volumetricKg: string | null;
  volumetricDivisor: number | null;
  weightAsCbm: string | null;
  kgPerCbm: number | null;
  chargeable: string;
  chargeableUnit: 'kg' | 'cbm';
  decidedBy: string;
  rate: Money;
  lines: { code: string; amount: Money }[];
  total: Money;
  leadDays: { min: number; max: number };
  eta: { from: string; to: string };
}
interface EstimateJson {
  options: QuoteJson[];
  unavailable: string[];
}
interface ShipmentJson {
  shipment: {
    id: string;
    status: string;
    estimate: QuoteJson;
    estimateTotal: Money;
    invoice: (QuoteJson & { difference: Money; estimateTotal: Money }) | null;
    invoiceTotal: Money | null;
    amountDue: Money;
    credited: Money;
    invoicedAt: string | null;
    carrierReference: string | null;
    eta: { from: string; to: string } | null;
  };
  parcels: ParcelJson[];
  transitions: { to: string; at: string; documentId: string | null }[];
}

const rp = (m: Money | bigint) => formatMoney(typeof m === 'bigint' ? m : m.amount, 'IDR', 'id');
const kg = (v: string) => `${formatDecimal(v, 'id')} kg`;
const cbm = (v: string) => `${formatDecimal(v, 'id')} CBM`;
/** 1×1 PNG, a real image for the content check. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const MARKED = 'SF9900112233445';
const UNMARKED = 'YT5500667788990';
const AWB = '784-12345678';

describe.runIf(runBrowserTests)('forwarding in Chromium', { timeout: 300_000 }, () => {
  const harness = useBrowserPlatform('jbt-browser-forwarding-');
  let warehouse: { page: Page; errors: string[] };
  let importer: { page: Page; errors: string[] };
  let marking: string;
  let shipmentId: string;

  async function text(scope: Page | Locator, testId: string): Promise<string> {
    return ((await scope.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async function apiGet<T>(page: Page, path: string): Promise<T> {
    const res = await page.request.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }

  async function apiPost<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
    const { csrfToken } = await apiGet<{ csrfToken: string }>(page, '/api/auth/session');
    const res = await page.request.post(path, { data: body, headers: { 'x-csrf-token': csrfToken } });
    return { status: res.status(), body: (await res.json()) as T };
  }

  async function staffLogin(email: string, viewport = DESKTOP) {
    const opened = await harness.openPage(viewport);
    const { page } = opened;
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByLabel('Kode verifikasi').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await page.getByTestId('staff-console').waitFor();
    return opened;
  }

  /** The formatted calendar date the page shows (the browser's own Intl, as the page uses it). */
  async function day(page: Page, iso: string): Promise<string> {
    return page.evaluate((d) => {
      const [y, m, dd] = d.split('-').map(Number);
      return new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, dd!)));
    }, iso);
  }

  /** Every figure of one estimate or invoice block against the API's quote. */
  async function checkQuote(scope: Locator, q: QuoteJson) {
    expect(await text(scope, 'q-actual')).toBe(kg(q.actualKg));
    expect(await text(scope, 'q-volume')).toBe(cbm(q.volumeCbm));
    if (q.volumetricKg !== null) {
      expect(await text(scope, 'q-volumetric')).toBe(kg(q.volumetricKg));
      await scope.getByText(`Berat volume (÷ ${formatDecimal(String(q.volumetricDivisor), 'id')})`).waitFor();
    } else await expect(scope.getByTestId('q-volumetric').count()).resolves.toBe(0);
    if (q.weightAsCbm !== null) expect(await text(scope, 'q-weight-as-cbm')).toBe(cbm(q.weightAsCbm));
    expect(await text(scope, 'q-chargeable')).toBe(q.chargeableUnit === 'kg' ? kg(q.chargeable) : cbm(q.chargeable));
    await expect(scope.getByTestId('q-decided').getAttribute('data-decided')).resolves.toBe(q.decidedBy);
    expect(await text(scope, 'q-rate')).toBe(`${rp(q.rate)}/${q.chargeableUnit === 'kg' ? 'kg' : 'CBM'}`);
    const rows = scope.getByTestId('q-lines').locator('tr[data-line]:not([data-line="total"])');
    await expect(rows.count()).resolves.toBe(q.lines.length);
    for (const [i, line] of q.lines.entries()) {
      await expect(rows.nth(i).getAttribute('data-line')).resolves.toBe(line.code);
      expect(((await rows.nth(i).locator('td').textContent()) ?? '').trim(), line.code).toBe(rp(line.amount));
    }
    expect(q.lines.reduce((s, l) => s + BigInt(l.amount.amount), 0n)).toBe(BigInt(q.total.amount));
    expect(await text(scope, 'q-total')).toBe(rp(q.total));
    const lead = await text(scope, 'q-lead');
    expect(lead).toContain(`Lama kirim ${q.leadDays.min}–${q.leadDays.max} hari`);
    expect(lead).toContain(`tiba ${await day(scope.page(), q.eta.from)} – ${await day(scope.page(), q.eta.to)}`);
  }

  /** The date and time the page shows (the browser's own Intl, as the page uses it). */
  async function dateTime(page: Page, iso: string): Promise<string> {
    return (await page.evaluate((at) => new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)), iso)).replace(/\s+/g, ' ');
  }

  async function availableOf(page: Page): Promise<bigint> {
    const { wallets } = await apiGet<{ wallets: { currency: string; balance: { available: Money } }[] }>(page, '/api/wallet');
    return BigInt(wallets.find((w) => w.currency === 'IDR')!.balance.available.amount);
  }

  /** The difference over the estimate as the page writes it: one decimal, half up ("+38,9 %"). */
  function percentOver(diff: bigint, estimate: bigint): string {
    const tenths = (diff * 1000n + estimate / 2n) / estimate;
    return `+${formatDecimal(`${tenths / 10n}.${tenths % 10n}`, 'id', { maxFraction: 1 })} %`;
  }

  /** The same code with its last digit changed: the check digit no longer fits. */
  const misdigit = (code: string) => `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`;

  it('warehouse on a phone: receives a parcel by marking code with a photo (server field error beside the field, a repeat refused with a link), and one without a code that is assigned from the unidentified queue', async () => {
    const db = harness.platform().ctx.database.db;
    marking = (await db.selectFrom('marking_codes').innerJoin('customers', 'customers.id', 'marking_codes.customer_id').select('marking_codes.code').where('customers.name', '=', DEMO_IMPORTER.customer).executeTakeFirstOrThrow()).code;
    warehouse = await staffLogin('warehouse@demo.jembatan.id', PHONE);
    const { page } = warehouse;
    await page.getByTestId('menu-button').click();
    await page.getByTestId('main-nav').getByRole('link', { name: 'Gudang', exact: true }).click();
    await page.getByRole('heading', { name: 'Gudang', level: 1 }).waitFor();
    const form = page.getByTestId('receive-form');
    await form.waitFor();
    const { warehouses } = await apiGet<{ warehouses: { id: string; code: string }[] }>(page, '/api/staff/warehouses');
    const gz = warehouses.find((w) => w.code === 'GZ')!;
    await expect(form.getByTestId('receive-warehouse').inputValue()).resolves.toBe(gz.id);

    // The marking code is looked up as it is typed: a digit misread off the box breaks the
    // check digit (the server answers 404, the parcel would go to the unidentified queue) and the
    // screen says which; a well-formed code nobody has is "unknown"; the importer's, the name.
    const misread = misdigit(marking);
    await form.getByTestId('receive-markingRead').fill(misread);
    await expect.poll(() => form.getByTestId('marking-match').getAttribute('data-state')).toBe('badCheck');
    expect(await text(form, 'marking-match')).toBe('Digit pemeriksa salah → paket masuk antrean tak dikenal. Periksa lagi angkanya di kardus.');
    expect((await page.request.get(`/api/staff/marking-codes/${misread}`)).status()).toBe(404);
    await harness.shot(page, 'forwarding-receive-check-digit');
    const nobody = `JBT-99999${luhnCheckDigit('99999')}`;
    await form.getByTestId('receive-markingRead').fill(nobody);
    await expect.poll(() => form.getByTestId('marking-match').getAttribute('data-state')).toBe('unknown');
    expect(await text(form, 'marking-match')).toBe('Kode tidak terdaftar → paket masuk antrean tak dikenal. Periksa lagi angkanya di kardus.');
    await form.getByTestId('receive-markingRead').fill(marking.toLowerCase().replace('-', ' '));
    await expect.poll(() => text(form, 'marking-customer')).toBe(DEMO_IMPORTER.customer);

    // A tracking number the server refuses: its words beside the field.
    await form.getByTestId('receive-trackingNumber').fill('SF#99-0011');
    await form.getByTestId('receive-cartons').fill('2');
    await form.getByTestId('receive-weightKg').fill('12,5');
    await form.getByTestId('receive-lengthCm').fill('50');
    await form.getByTestId('receive-widthCm').fill('40');
    await form.getByTestId('receive-heightCm').fill('40');
    await form.getByTestId('receive-courier').fill('SF 顺丰');
    await form.getByTestId('receive-supplierName').fill('义乌市星辰贸易有限公司');
    await form.getByTestId('receive-orderNumbers').fill('3312456789012345');
    await form.getByTestId('receive-photos').setInputFiles([{ name: 'box-front.png', mimeType: 'image/png', buffer: PNG_1X1 }]);
    await form.getByTestId('receive-photos-previews').locator('img').first().waitFor();
    await form.getByTestId('receive-submit').click();
    await form.getByTestId('error-trackingNumber').waitFor();
    const refused = await apiPost<{ field?: string; detail?: string }>(page, '/api/staff/parcels', { warehouseId: gz.id, trackingNumber: 'SF#99-0011', cartons: 1, weightKg: '1', lengthCm: '1', widthCm: '1', heightCm: '1' });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('trackingNumber');
    expect(await text(form, 'error-trackingNumber')).toBe(refused.body.detail);
    await expect(form.getByTestId('receive-trackingNumber').getAttribute('aria-invalid')).resolves.toBe('true');
    await harness.shot(page, 'forwarding-receive-field-error');

    await form.getByTestId('receive-trackingNumber').fill(MARKED.toLowerCase());
    await form.getByTestId('receive-submit').click();
    const card = page.getByTestId('received-card');
    await expect.poll(() => text(card, 'received-title')).toBe(`${MARKED} diterima untuk ${DEMO_IMPORTER.customer}`);
    const [got] = (await apiGet<{ parcels: (ParcelJson & { customer: { name: string } | null })[] }>(page, `/api/staff/parcels?q=${MARKED}`)).parcels;
    expect(got).toMatchObject({ trackingNumber: MARKED, status: 'received', cartons: 2, weightKg: '12.5', lengthCm: '50', widthCm: '40', heightCm: '40', volumeCbm: '0.16' });
    expect(got!.customer?.name).toBe(DEMO_IMPORTER.customer);
    expect(got!.photoIds).toHaveLength(1);
    await card.getByText(`${got!.id}`).waitFor();
    // The form is empty again for the next box, the warehouse kept.
    await expect(form.getByTestId('receive-trackingNumber').inputValue()).resolves.toBe('');
    await expect(form.getByTestId('receive-warehouse').inputValue()).resolves.toBe(gz.id);
    await harness.shot(page, 'forwarding-receive-phone');

    // The same box again: refused with a link to the parcel that has it.
    await form.getByTestId('receive-trackingNumber').fill(MARKED);
    await form.getByTestId('receive-cartons').fill('2');
    await form.getByTestId('receive-weightKg').fill('12.5');
    await form.getByTestId('receive-lengthCm').fill('50');
    await form.getByTestId('receive-widthCm').fill('40');
    await form.getByTestId('receive-heightCm').fill('40');
    await form.getByTestId('receive-submit').click();
    await form.getByTestId('receive-already').getByText(got!.id).waitFor();
    await harness.shot(page, 'forwarding-receive-already');
    await form.getByTestId('receive-already-link').click();
    const detail = page.getByTestId('staff-parcel-detail');
    await detail.locator(`[data-parcel="${got!.id}"]`).waitFor();
    await expect.poll(() => text(detail, 'staff-parcel-customer')).toContain(DEMO_IMPORTER.customer);
    await expect(detail.getByTestId('parcel-photo').count()).resolves.toBe(1);
    await harness.shot(page, 'forwarding-staff-parcel-phone');

    // A box with no readable code: received into the unidentified queue.
    await page.getByTestId('tab-receive').click();
    await form.getByTestId('receive-trackingNumber').fill(UNMARKED);
    await expect.poll(() => form.getByTestId('marking-match').getAttribute('data-state')).toBe('none');
    await form.getByTestId('receive-cartons').fill('1');
    await form.getByTestId('receive-weightKg').fill('3');
    await form.getByTestId('receive-lengthCm').fill('20');
    await form.getByTestId('receive-widthCm').fill('20');
    await form.getByTestId('receive-heightCm').fill('20');
    await form.getByTestId('receive-condition').getByText('Terbuka', { exact: true }).click();
    await form.getByTestId('receive-conditionNote').fill('kode marking robek');
    await form.getByTestId('receive-submit').click();
    await expect.poll(() => text(page.getByTestId('received-card'), 'received-title')).toBe(`${UNMARKED} diterima → antrean tak dikenal`);

    await page.getByTestId('tab-unidentified').click();
    const item = page.locator(`[data-testid="unidentified-item"][data-tracking="${UNMARKED}"]`);
    await item.waitFor();
    await item.getByText('kode marking robek', { exact: false }).waitFor();
    await item.getByTestId('assign-code').fill(marking);
    await expect.poll(() => text(item, 'marking-customer')).toBe(DEMO_IMPORTER.customer);
    await item.getByTestId('assign-note').fill('kode tulisan tangan di sisi kardus');
    await harness.shot(page, 'forwarding-unidentified-phone');
    await item.getByTestId('assign-submit').click();
    await page.getByText(`Paket ${UNMARKED} diberikan ke pelanggan.`).waitFor();
    // The queue is read again (the unidentified parcels and the ownerless abandoned ones).
    await expect.poll(() => item.count()).toBe(0);
    const [assigned] = (await apiGet<{ parcels: (ParcelJson & { customer: { name: string } | null })[] }>(page, `/api/staff/parcels?q=${UNMARKED}`)).parcels;
    expect(assigned).toMatchObject({ status: 'received', condition: 'opened' });
    expect(assigned!.customer?.name).toBe(DEMO_IMPORTER.customer);
    // The demo's own unidentified parcel is still waiting.
    await page.locator('[data-testid="unidentified-item"][data-tracking="ZTO758800112233"]').waitFor();
    expect(warehouse.errors).toEqual([]);
  });

  it('importer: sees the new parcel with its photo and free days, the address card, compares air and sea for two parcels figure by figure, and requests air held on the wallet', async () => {
    importer = await harness.openPage();
    const { page } = importer;
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(DEMO_IMPORTER.email);
    await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.getByTestId('importer-portal').waitFor();
    await page.getByTestId('main-nav').getByRole('link', { name: 'Paket', exact: true }).click();
    await page.getByRole('heading', { name: 'Paket', level: 1 }).waitFor();
    expect(await text(page, 'marking-code')).toBe(marking);

    const { parcels } = await apiGet<{ parcels: ParcelJson[] }>(page, '/api/parcels');
    const marked = parcels.find((p) => p.trackingNumber === MARKED)!;
    const unmarked = parcels.find((p) => p.trackingNumber === UNMARKED)!;
    expect(parcels.filter((p) => p.status === 'received')).toHaveLength(4);
    const row = page.locator(`[data-testid="parcel-row"][data-tracking="${MARKED}"]`);
    await row.waitFor();
    await row.getByTestId('parcel-status').getByText('Di gudang').waitFor();
    expect(await text(row, 'parcel-cartons')).toBe('2');
    expect(await text(row, 'parcel-weight')).toBe('12,5 kg');
    expect(await text(row, 'parcel-dims')).toBe('50 × 40 × 40 cm');
    expect(await text(row, 'parcel-cbm')).toBe(cbm(marked.volumeCbm));
    expect(marked.freeDaysLeft).toBe(30);
    expect(await text(row, 'free-days')).toBe('sisa 30 hari');
    const photo = row.getByTestId('parcel-photo');
    await expect(photo.getAttribute('src')).resolves.toBe(`/api/parcels/${marked.id}/photos/${marked.photoIds[0]}`);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await harness.shot(page, 'forwarding-importer-parcels');

    await page.getByTestId('tab-address').click();
    const gzCard = page.getByTestId('address-zh').and(page.locator('[data-warehouse="GZ"]'));
    await gzCard.getByText(`（唛头：${marking}）`, { exact: false }).waitFor();
    const label = await page.request.get((await page.getByTestId('label-pdf').first().getAttribute('href'))!);
    expect(label.headers()['content-type']).toBe('application/pdf');
    await harness.shot(page, 'forwarding-address-cards');

    // Two parcels, one shipment: every mode side by side.
    await page.goto(`/shipments?tab=new&parcels=${marked.id}`);
    const formCard = page.getByTestId('estimate-form');
    await formCard.locator(`[data-testid="pick-parcel"][data-parcel="${unmarked.id}"]`).click();
    await expect.poll(() => formCard.getByTestId('estimate-destination').inputValue()).toBe('Jakarta');
    const estimating = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/shipments/estimate');
    await formCard.getByTestId('estimate-submit').click();
    const shown = (await (await estimating).json()) as EstimateJson;
    const asked = await apiPost<EstimateJson>(page, '/api/shipments/estimate', { parcelIds: [marked.id, unmarked.id], destination: 'Jakarta', category: 'general', insured: false });
    expect(asked.status).toBe(200);
    expect(shown).toEqual(asked.body);
    expect(asked.body.options.map((o) => o.mode).sort()).toEqual(['air', 'sea']);
    expect(asked.body.unavailable).toEqual(['land']);
    const result = page.getByTestId('estimate-result');
    for (const q of asked.body.options) {
      const option = result.locator(`[data-testid="mode-option"][data-mode="${q.mode}"]`);
      await expect(option.getAttribute('data-available')).resolves.toBe('true');
      expect(await text(option, 'mode-total')).toBe(rp(q.total));
      await checkQuote(option.getByTestId('mode-figures'), q);
    }
    const air = asked.body.options.find((o) => o.mode === 'air')!;
    // 2 × 50×40×40 + 20×20×20 cm = 168 000 cm³ ÷ 6000 = 28 kg, above the 15,5 kg on the scale.
    expect(air).toMatchObject({ actualKg: '15.5', volumetricKg: '28', chargeable: '28', decidedBy: 'volume' });
    await result.locator('[data-mode="air"]').getByText('berat volume lebih besar').waitFor();
    await result.locator('[data-mode="land"][data-available="false"]').getByText('Tidak tersedia').waitFor();
    await harness.shot(page, 'forwarding-estimate');

    await result.locator('[data-mode="air"]').getByTestId('mode-choose').click();
    const request = page.getByTestId('request-form');
    const before = (await apiGet<{ wallets: { currency: string; balance: { available: Money; pendingOut: Money } }[] }>(page, '/api/wallet')).wallets.find((w) => w.currency === 'IDR')!.balance;
    expect(await text(request, 'request-hold')).toBe(rp(air.total));
    expect(await text(request, 'request-available')).toBe(rp(before.available));
    expect(await text(request, 'request-after')).toBe(rp(BigInt(before.available.amount) - BigInt(air.total.amount)));
    await request.getByTestId('request-submit').click();
    await request.getByText('Tulis alamat pengantaran lengkap').waitFor();
    await request.getByTestId('request-address').fill('CV Maju Jaya Abadi, Jl. Mangga Dua Raya No. 8, Jakarta Utara 14430, Budi 0812 3456 7890');
    await request.getByTestId('request-submit').click();
    const detail = page.getByTestId('shipment-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('requested');
    shipmentId = (await detail.getAttribute('data-shipment'))!;
    expect(shipmentId).toMatch(/^shp_/);
    const stored = await apiGet<ShipmentJson>(page, `/api/shipments/${shipmentId}`);
    expect(stored.shipment.estimateTotal).toEqual(air.total);
    expect(await text(detail, 'fig-estimate')).toBe(rp(air.total));
    await page.getByText(`${rp(air.total)} ditahan di dompet sampai tagihan akhir`, { exact: false }).waitFor();

    // The hold in the wallet, named.
    await page.getByTestId('main-nav').getByRole('link', { name: 'Dompet', exact: true }).click();
    const holds = page.getByTestId('wallet-holds');
    const hold = holds.locator('li').filter({ hasText: shipmentId });
    await hold.getByText('Ditahan untuk ongkos kirim').waitFor();
    expect(((await hold.locator('strong').textContent()) ?? '').trim()).toBe(rp(air.total));
    const after = (await apiGet<{ wallets: { currency: string; balance: { available: Money; pendingOut: Money } }[] }>(page, '/api/wallet')).wallets.find((w) => w.currency === 'IDR')!.balance;
    expect(BigInt(after.available.amount)).toBe(BigInt(before.available.amount) - BigInt(air.total.amount));
    expect(await text(page, 'wallet-held')).toBe(rp(after.pendingOut));
    await harness.shot(page, 'forwarding-wallet-hold');
    expect(importer.errors).toEqual([]);
  });

  it('warehouse: packs the shipment with measured packages and an extra charge, issues the invoice, marks it departed with an AWB and the airway bill', async () => {
    const { page } = warehouse;
    await page.setViewportSize(DESKTOP);
    await page.goto(`/warehouse?tab=shipments&shipment=${shipmentId}`);
    const panel = page.getByTestId('staff-shipment-detail');
    await panel.locator(`[data-shipment="${shipmentId}"][data-status="requested"]`).waitFor();
    const pack = panel.getByTestId('pack-form');
    await pack.getByTestId('pack-count').fill('1');
    await pack.getByTestId('pack-length').fill('60');
    await pack.getByTestId('pack-width').fill('50');
    await pack.getByTestId('pack-height').fill('45');
    await pack.getByTestId('pack-weight').fill('15,8');
    await pack.getByTestId('extra-add').click();
    await pack.getByTestId('extra-description').fill('Kardus dan lakban ulang');
    await pack.getByTestId('extra-amount').fill('50.000');
    await harness.shot(page, 'forwarding-pack');
    await pack.getByTestId('pack-submit').click();
    await panel.locator(`[data-shipment="${shipmentId}"][data-status="packed"]`).waitFor();
    await panel.getByTestId('staff-packages').getByText('1 × 60 × 50 × 45 cm').waitFor();

    await panel.getByTestId('invoice-submit').click();
    // The held estimate covers the invoice: paid at once, the rest back to the wallet.
    await panel.locator(`[data-shipment="${shipmentId}"][data-status="paid"]`).waitFor();
    const paid = await apiGet<ShipmentJson>(page, `/api/staff/shipments/${shipmentId}`);
    expect(paid.shipment.invoice).toMatchObject({ actualKg: '15.8', volumetricKg: '22.5', chargeable: '22.5', decidedBy: 'volume' });
    expect(paid.shipment.invoice!.lines.map((l) => l.code)).toEqual(['freight', 'extra']);
    expect(await text(panel, 'staff-invoice')).toBe(rp(paid.shipment.invoiceTotal!));
    await checkQuote(panel.getByTestId('staff-invoice-figures'), paid.shipment.invoice!);

    const status = panel.getByTestId('status-form');
    await expect(status.getByTestId('status-to').inputValue()).resolves.toBe('departed');
    await status.getByTestId('status-reference').fill(AWB);
    await status.getByTestId('status-note').fill('CGK via CZ3067');
    await status.getByTestId('status-document').setInputFiles({ name: 'awb-784-12345678.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await status.getByTestId('status-document-name').getByText('awb-784-12345678.png').waitFor();
    await status.getByTestId('status-submit').click();
    await panel.locator(`[data-shipment="${shipmentId}"][data-status="departed"]`).waitFor();
    expect(await text(panel, 'staff-carrier-reference')).toBe(AWB);
    await harness.shot(page, 'forwarding-staff-shipment');
    await page.setViewportSize(PHONE);
    await harness.shot(page, 'forwarding-staff-shipment-phone');
    expect(warehouse.errors).toEqual([]);
  });

  it('importer: the invoice beside the estimate, the settled difference, the timeline with the airway bill and the ETA, and the landed cost with these figures', async () => {
    const { page } = importer;
    await page.goto(`/shipments/${shipmentId}`);
    const detail = page.getByTestId('shipment-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('departed');
    const s = await apiGet<ShipmentJson>(page, `/api/shipments/${shipmentId}`);
    const inv = s.shipment.invoice!;
    expect(await text(detail, 'fig-estimate')).toBe(rp(s.shipment.estimateTotal));
    expect(await text(detail, 'fig-invoice')).toBe(rp(s.shipment.invoiceTotal!));
    expect(BigInt(inv.difference.amount)).toBe(BigInt(s.shipment.invoiceTotal!.amount) - BigInt(s.shipment.estimateTotal.amount));
    expect(BigInt(inv.difference.amount) < 0n).toBe(true);
    const back = rp(-BigInt(inv.difference.amount));
    expect(await text(detail, 'fig-difference')).toContain(`−${back}`);
    expect(await text(detail, 'fig-difference')).toBe(`−${back}`);
    await detail.getByTestId('shipment-figures').getByText(`${back} kembali ke dompet`).waitFor();
    expect(await text(detail, 'fig-due')).toBe(rp(0n));
    await checkQuote(detail.getByTestId('estimate-figures'), s.shipment.estimate);
    await checkQuote(detail.getByTestId('invoice-figures'), inv);

    expect(await text(detail, 'carrier-reference')).toBe(AWB);
    expect(await text(detail, 'shipment-eta')).toBe(`${await day(page, s.shipment.eta!.from)} – ${await day(page, s.shipment.eta!.to)}`);
    const steps = detail.getByTestId('shipment-timeline').getByTestId('timeline-step');
    await expect.poll(async () => (await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-to')))).join(',')).toBe(s.transitions.map((t) => t.to).join(','));
    expect(s.transitions.map((t) => t.to)).toEqual(['requested', 'packed', 'invoiced', 'paid', 'departed']);
    // The server's automatic reasons read in Indonesian; the staff's own note as typed.
    await steps.nth(3).getByText(`dibayar dari perkiraan; ${back} kembali ke dompet`).waitFor();
    const departed = steps.last();
    await departed.getByText('CGK via CZ3067').waitFor();
    const docHref = await departed.getByTestId('timeline-document').getAttribute('href');
    const doc = await page.request.get(docHref!);
    expect(doc.status()).toBe(200);
    expect(Buffer.from(await doc.body()).equals(PNG_1X1)).toBe(true);
    for (const [i, t] of s.transitions.entries()) expect(await text(steps.nth(i), 'timeline-at')).toBe(await page.evaluate((iso) => new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), t.at));
    await harness.shot(page, 'forwarding-shipment-detail');
    await page.setViewportSize(PHONE);
    await harness.shot(page, 'forwarding-shipment-detail-phone');
    await page.setViewportSize(DESKTOP);

    // The parcels left with the shipment.
    const mine = await apiGet<{ parcels: ParcelJson[] }>(page, '/api/parcels');
    expect(mine.parcels.filter((p) => p.trackingNumber === MARKED || p.trackingNumber === UNMARKED).map((p) => p.status)).toEqual(['shipped', 'shipped']);

    // The landed-cost calculator on the price page, with the shipment's freight and insurance.
    const inputs = await apiGet<{ freight: Money; insurance: Money; goodsCny: Money }>(page, `/api/shipments/${shipmentId}/landed-cost-inputs`);
    await detail.getByTestId('landed-link').click();
    await page.getByTestId('public-pricing').waitFor();
    const landed = page.getByTestId('landed-cost');
    await landed.getByTestId('landed-prefilled').getByText(shipmentId, { exact: false }).waitFor();
    await expect(landed.getByTestId('landed-freight').inputValue()).resolves.toBe(minorToInput(inputs.freight.amount));
    await expect(landed.getByTestId('landed-insurance').inputValue()).resolves.toBe(minorToInput(inputs.insurance.amount));
    // The calculator still works: goods typed, the server's total shown.
    await landed.getByTestId('landed-goods').fill('5000');
    const calculated = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/costing/landed-cost');
    await landed.getByTestId('landed-submit').click();
    const cost = (await (await calculated).json()) as { customs: { freight: Money }; total: Money };
    expect(cost.customs.freight).toEqual(inputs.freight);
    expect(await text(landed, 'landed-total')).toBe(rp(cost.total));
    await harness.shot(page, 'forwarding-landed-cost');
    await page.getByTestId('freight-tariffs').getByTestId('freight-table').waitFor();
    expect(importer.errors).toEqual([]);
  });
  it('admin: the tariff history, a land tariff added from today that the importer is then offered, warehouses and storage terms', async () => {
    const admin = await staffLogin('admin@demo.jembatan.id');
    const { page } = admin;
    await page.goto('/warehouse?tab=tariffs');
    const history = page.getByTestId('tariffs-table');
    const before = (await apiGet<{ tariffs: { id: string }[] }>(page, '/api/staff/freight-tariffs')).tariffs;
    await expect.poll(() => history.locator('tbody tr').count()).toBe(before.length);
    const form = page.getByTestId('tariff-form');
    await form.getByText('Darat', { exact: true }).click();
    await form.getByTestId('tariff-rate').fill('40.000');
    await form.getByLabel('Biaya minimum').fill('200000');
    await form.getByLabel('Premi minimum').fill('25000');
    await form.getByLabel('Lama kirim tercepat (hari)').fill('10');
    await form.getByLabel('Lama kirim terlama (hari)').fill('14');
    await form.getByTestId('tariff-submit').click();
    await form.getByText('Tarif ditambahkan.').waitFor();
    const after = (await apiGet<{ tariffs: { id: string; mode: string; destination: string; rate: Money; volumetricDivisor: number | null; leadDays: { min: number; max: number } }[] }>(page, '/api/staff/freight-tariffs')).tariffs;
    expect(after).toHaveLength(before.length + 1);
    const land = after.find((x) => x.mode === 'land')!;
    expect(land).toMatchObject({ destination: 'Jakarta', rate: { amount: '4000000', currency: 'IDR' }, volumetricDivisor: 6000, leadDays: { min: 10, max: 14 } });
    await history.locator(`tr[data-tariff="${land.id}"]`).getByText('Rp 40.000/kg').waitFor();
    await page.getByTestId('storage-settings').getByTestId('settings-freeStorageDays').waitFor();
    await expect(page.getByTestId('storage-settings').getByTestId('settings-freeStorageDays').inputValue()).resolves.toBe('30');
    // The two invoice settings: how far above the estimate is taken without asking, how long an invoice may wait.
    const { settings } = await apiGet<{ settings: { autoSettleExcessPercent: number; invoicePaymentDays: number } }>(page, '/api/staff/forwarding/settings');
    await expect(page.getByTestId('settings-autoSettleExcessPercent').inputValue()).resolves.toBe(String(settings.autoSettleExcessPercent));
    await expect(page.getByTestId('settings-invoicePaymentDays').inputValue()).resolves.toBe(String(settings.invoicePaymentDays));
    expect(settings).toMatchObject({ autoSettleExcessPercent: 10, invoicePaymentDays: 7 });
    await page.getByTestId('warehouses-card').locator('[data-warehouse="YW"]').waitFor();
    await harness.shot(page, 'forwarding-tariffs');

    // The importer is offered land now, for a parcel still in storage.
    const { parcels } = await apiGet<{ parcels: ParcelJson[] }>(importer.page, '/api/parcels?status=received');
    const estimate = await apiPost<EstimateJson>(importer.page, '/api/shipments/estimate', { parcelIds: [parcels[0]!.id], destination: 'Jakarta', category: 'general', insured: false });
    expect(estimate.body.options.map((o) => o.mode).sort()).toEqual(['air', 'land', 'sea']);
    expect(estimate.body.unavailable).toEqual([]);
    expect(admin.errors).toEqual([]);
  });

  it('importer claims the demo parcel that came without a code, with a screenshot; the warehouse opens the evidence and approves the claim', async () => {
    const ZTO = 'ZTO758800112233';
    const { page } = importer;
    await page.setViewportSize(DESKTOP);
    await page.goto('/parcels?tab=find');
    const find = page.getByTestId('find-card');
    await find.getByTestId('find-tracking').fill(ZTO);
    await find.getByTestId('find-submit').click();
    const result = find.getByTestId('find-result');
    await result.waitFor();
    const parcelId = (await result.getAttribute('data-parcel'))!;
    await result.getByTestId('claim-evidence').fill('Pesanan 1688 no. 3312999900001111 dari 广州美妆包装厂: 200 botol pompa 30 ml, resi ZTO dari pemasok.');
    await result.getByTestId('claim-file').setInputFiles({ name: 'pesanan-1688.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await result.getByTestId('claim-file-name').getByText('pesanan-1688.png', { exact: false }).waitFor();
    await result.getByTestId('claim-submit').click();
    await result.getByText('terkirim. Staf gudang akan memeriksanya.', { exact: false }).waitFor();

    const { page: floor } = warehouse;
    await floor.setViewportSize(DESKTOP);
    await floor.goto('/warehouse?tab=unidentified');
    const { claims } = await apiGet<{ claims: { id: string; parcelId: string; documentId: string | null; status: string; customer: { name: string } | null }[] }>(floor, '/api/staff/parcel-claims');
    const claim = claims.find((c) => c.parcelId === parcelId && c.status === 'pending')!;
    expect(claim.customer?.name).toBe(DEMO_IMPORTER.customer);
    expect(claim.documentId).toBeTruthy();
    const item = floor.getByTestId('claims-card').locator(`[data-testid="claim-item"][data-claim="${claim.id}"]`);
    await item.getByText(DEMO_IMPORTER.customer, { exact: true }).waitFor();
    // The warehouse role opens the evidence through the staff route (it could not download documents before).
    const href = await item.getByTestId('claim-evidence-link').getAttribute('href');
    expect(href).toBe(`/api/staff/parcel-claims/${claim.id}/evidence`);
    const evidence = await floor.request.get(href!);
    expect(evidence.status()).toBe(200);
    expect(evidence.headers()['content-type']).toBe('image/png');
    expect(Buffer.from(await evidence.body()).equals(PNG_1X1)).toBe(true);
    await harness.shot(floor, 'forwarding-claim-evidence');

    await item.getByTestId('decide-note').fill('Nomor pesanan 1688 cocok dengan resi ZTO');
    await item.getByTestId('decide-approve').click();
    await floor.getByTestId('claims-card').locator(`[data-testid="claim-item"][data-claim="${claim.id}"][data-status="approved"]`).waitFor();
    await expect.poll(() => floor.locator(`[data-testid="unidentified-item"][data-tracking="${ZTO}"]`).count()).toBe(0);
    const [claimed] = (await apiGet<{ parcels: (ParcelJson & { customer: { name: string } | null })[] }>(floor, `/api/staff/parcels?q=${ZTO}`)).parcels;
    expect(claimed).toMatchObject({ id: parcelId, status: 'received' });
    expect(claimed!.customer?.name).toBe(DEMO_IMPORTER.customer);
    await floor.setViewportSize(PHONE);
    await harness.shot(floor, 'forwarding-claim-approved-phone');

    // The importer has it now; the history says why, in Indonesian.
    await page.goto(`/parcels/${parcelId}`);
    await page.getByTestId('parcel-detail').getByTestId('parcel-timeline').getByText('klaim disetujui staf').waitFor();
    expect(warehouse.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('a parcel near its abandonment date is flagged for the importer (list and parcel) and on the staff screens; the warehouse gives a misread parcel to its right owner', async () => {
    const db = harness.platform().ctx.database.db;
    const { page } = importer;
    const mine = (await apiGet<{ parcels: (ParcelJson & { abandonAfter: string | null })[] }>(page, '/api/parcels')).parcels;
    const sf = mine.find((p) => p.trackingNumber === 'SF1402233445566')!;
    const yt = mine.find((p) => p.trackingNumber === 'YT7712345678901')!;
    const today = chinaDate(new Date());
    const daysTo = (d: string) => Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    // Set up: this parcel's abandonment date comes in five days (a fresh one has 90).
    const near = addDays(today, 5);
    await db.updateTable('parcels').set({ abandon_after: near }).where('id', '=', sf.id).execute();
    expect((await apiGet<{ parcel: { abandonAfter: string } }>(page, `/api/parcels/${sf.id}`)).parcel.abandonAfter).toBe(near);
    expect(daysTo(yt.abandonAfter!)).toBeGreaterThan(14);

    await page.goto('/parcels');
    const row = page.locator(`[data-testid="parcel-row"][data-tracking="${sf.trackingNumber}"]`);
    await expect.poll(() => text(row, 'abandon-after')).toBe(`Dianggap ditinggalkan pada ${await day(page, near)} (sisa 5 hari)`);
    await expect(page.locator(`[data-testid="parcel-row"][data-tracking="${yt.trackingNumber}"]`).getByTestId('abandon-after').count()).resolves.toBe(0);
    await page.setViewportSize(PHONE);
    await harness.shot(page, 'forwarding-importer-abandon-phone');
    await row.scrollIntoViewIfNeeded();
    await harness.shot(page, 'forwarding-importer-abandon-phone-view', false);
    await page.setViewportSize(DESKTOP);
    await page.goto(`/parcels/${sf.id}`);
    expect(await text(page, 'abandon-soon-notice')).toBe(`Paket yang belum dikirim sampai ${await day(page, near)} dianggap ditinggalkan. Kirim sebelum tanggal itu, atau hubungi kami bila perlu waktu lebih.`);
    expect(await text(page.getByTestId('parcel-detail'), 'abandon-after')).toBe(`Dianggap ditinggalkan pada ${await day(page, near)} (sisa 5 hari)`);
    await harness.shot(page, 'forwarding-importer-parcel-abandon');

    // Staff see the date of every parcel in storage; the list flags the near one.
    const { page: floor } = warehouse;
    await floor.setViewportSize(DESKTOP);
    await floor.goto('/warehouse?tab=parcels');
    const staffRow = floor.locator(`[data-testid="staff-parcel-row"][data-tracking="${sf.trackingNumber}"]`);
    expect(await text(staffRow, 'abandon-after')).toBe(`Dianggap ditinggalkan pada ${await day(floor, near)} (sisa 5 hari)`);

    // The YT parcel was Siti's: its code was misread at receipt. A wrong digit is refused as it is typed.
    const siti = await db.selectFrom('customers').select('id').where('name', '=', 'Siti Rahmawati').executeTakeFirstOrThrow();
    const sitiCode = await ensureMarkingCode(db, siti.id);
    await floor.goto(`/warehouse?tab=parcels&parcel=${yt.id}`);
    const panel = floor.getByTestId('staff-parcel-detail');
    await panel.locator(`[data-parcel="${yt.id}"]`).waitFor();
    expect(await text(panel, 'staff-parcel-abandon')).toBe(`Dianggap ditinggalkan pada ${await day(floor, yt.abandonAfter!)} (sisa ${daysTo(yt.abandonAfter!)} hari)`);
    await panel.getByTestId('reassign-open').click();
    const form = panel.getByTestId('reassign-form');
    await form.getByTestId('reassign-code').fill(misdigit(sitiCode));
    await expect.poll(() => form.getByTestId('marking-match').getAttribute('data-state')).toBe('badCheck');
    expect(await text(form, 'marking-match')).toBe('Digit pemeriksa salah — tidak ada importir dengan kode ini; periksa lagi angkanya.');
    await expect(form.getByTestId('reassign-submit').isDisabled()).resolves.toBe(true);
    await form.getByTestId('reassign-code').fill(sitiCode.toLowerCase());
    await expect.poll(() => text(form, 'marking-customer')).toBe('Siti Rahmawati');
    await form.getByTestId('reassign-note').fill('kode di kardus salah baca saat diterima');
    expect(await text(form, 'reassign-submit')).toBe('Pindahkan ke Siti Rahmawati');
    await harness.shot(floor, 'forwarding-reassign');
    await form.getByTestId('reassign-submit').click();
    await expect.poll(() => text(panel, 'staff-parcel-customer')).toBe(`Siti Rahmawati · ${sitiCode}`);
    await panel.getByTestId('parcel-timeline').getByText(`dipindahkan ke pemilik yang benar (kode marking ${sitiCode})`).waitFor();
    const moved = await apiGet<{ parcel: ParcelJson; customer: { id: string; name: string } | null }>(floor, `/api/staff/parcels/${yt.id}`);
    expect(moved.customer).toMatchObject({ id: siti.id, name: 'Siti Rahmawati' });
    expect(moved.parcel.status).toBe('received');
    // No longer the first importer's.
    expect((await apiGet<{ parcels: ParcelJson[] }>(page, '/api/parcels')).parcels.some((p) => p.id === yt.id)).toBe(false);
    expect((await page.request.get(`/api/parcels/${yt.id}`)).status()).toBe(404);
    await floor.setViewportSize(PHONE);
    await harness.shot(floor, 'forwarding-reassigned-phone');
    expect(warehouse.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  let waitingId: string;

  it('an invoice measured more than 10 % above the estimate waits: the warehouse sees until when and re-measures; the importer is told why and pays it with the pay button', async () => {
    const { page } = importer;
    await page.setViewportSize(DESKTOP);
    const sf = (await apiGet<{ parcels: ParcelJson[] }>(page, '/api/parcels')).parcels.find((p) => p.trackingNumber === 'SF1402233445566')!;
    await page.goto(`/shipments?tab=new&parcels=${sf.id}`);
    const formCard = page.getByTestId('estimate-form');
    await expect.poll(() => formCard.getByTestId('estimate-destination').inputValue()).toBe('Jakarta');
    await formCard.getByTestId('estimate-submit').click();
    await page.getByTestId('estimate-result').locator('[data-mode="air"]').getByTestId('mode-choose').click();
    const request = page.getByTestId('request-form');
    await request.getByTestId('request-address').fill('CV Maju Jaya Abadi, Jl. Mangga Dua Raya No. 8, Jakarta Utara 14430');
    await request.getByTestId('request-submit').click();
    const detail = page.getByTestId('shipment-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('requested');
    waitingId = (await detail.getAttribute('data-shipment'))!;

    // The warehouse types 80 cm instead of 60: far above the estimate.
    const { page: floor } = warehouse;
    await floor.setViewportSize(DESKTOP);
    await floor.goto(`/warehouse?tab=shipments&shipment=${waitingId}`);
    const panel = floor.getByTestId('staff-shipment-detail');
    await panel.locator(`[data-shipment="${waitingId}"][data-status="requested"]`).waitFor();
    const pack = panel.getByTestId('pack-form');
    await pack.getByTestId('pack-length').fill('80');
    await pack.getByTestId('pack-width').fill('50');
    await pack.getByTestId('pack-height').fill('50');
    await pack.getByTestId('pack-weight').fill('7');
    await pack.getByTestId('pack-submit').click();
    await panel.locator(`[data-shipment="${waitingId}"][data-status="packed"]`).waitFor();
    await panel.getByTestId('invoice-submit').click();
    await panel.locator(`[data-shipment="${waitingId}"][data-status="invoiced"]`).waitFor();
    const { settings } = await apiGet<{ settings: { autoSettleExcessPercent: number; invoicePaymentDays: number } }>(floor, '/api/staff/forwarding/settings');
    const checkWaiting = async () => {
      const { shipment: w } = await apiGet<ShipmentJson>(floor, `/api/staff/shipments/${waitingId}`);
      const est = BigInt(w.estimateTotal.amount);
      const inv = BigInt(w.invoiceTotal!.amount);
      expect(w.status).toBe('invoiced');
      expect((inv - est) * 100n > est * BigInt(settings.autoSettleExcessPercent)).toBe(true);
      expect(BigInt(w.amountDue.amount)).toBe(inv - est);
      const waiting = panel.getByTestId('waiting-importer');
      await expect.poll(() => text(waiting, 'waiting-amount')).toBe(`Tagihan ${rp(inv)}, perkiraan yang ditahan ${rp(est)} (${percentOver(inv - est, est)}): importir harus membayar ${rp(w.amountDue)}.`);
      await expect(waiting.getByTestId('waiting-why').getAttribute('data-why')).resolves.toBe('tolerance');
      expect(await text(waiting, 'waiting-why')).toBe(`Lebih dari ${settings.autoSettleExcessPercent} % di atas perkiraan: tidak diambil otomatis dari dompet. Importir membayar sendiri (dompet atau transfer bank).`);
      const cancelAt = new Date(Date.parse(w.invoicedAt!) + settings.invoicePaymentDays * 86_400_000).toISOString();
      await expect(waiting.getAttribute('data-cancel-at')).resolves.toBe(cancelAt);
      expect(await text(waiting, 'waiting-cancel-at')).toBe(`Dibatalkan otomatis bila belum dibayar pada ${await dateTime(floor, cancelAt)} (${settings.invoicePaymentDays} hari setelah tagihan).`);
      expect(await text(panel, 'staff-estimate')).toBe(rp(est));
      expect(await text(panel, 'staff-invoice')).toBe(rp(inv));
      expect(await text(panel, 'staff-due')).toBe(rp(w.amountDue));
      await checkQuote(panel.getByTestId('staff-invoice-figures'), w.invoice!);
      return w;
    };
    const wrong = await checkWaiting();
    await harness.shot(floor, 'forwarding-staff-waiting');
    await floor.setViewportSize(PHONE);
    await harness.shot(floor, 'forwarding-staff-waiting-phone');
    await panel.getByTestId('waiting-importer').scrollIntoViewIfNeeded();
    await harness.shot(floor, 'forwarding-staff-waiting-phone-view', false);
    await floor.setViewportSize(DESKTOP);

    // Re-measured before payment (60 cm, as it is), invoiced again: still above the tolerance.
    await panel.getByTestId('remeasure-shipment-open').click();
    const repack = panel.getByTestId('repack-form');
    await expect(repack.getByTestId('pack-length').inputValue()).resolves.toBe('80');
    await expect(repack.getByTestId('pack-weight').inputValue()).resolves.toBe('7');
    await repack.getByTestId('pack-length').fill('60');
    await repack.getByTestId('pack-submit').click();
    await panel.locator(`[data-shipment="${waitingId}"][data-status="packed"]`).waitFor();
    await panel.getByTestId('staff-packages').getByText('1 × 60 × 50 × 50 cm').waitFor();
    await panel.getByTestId('invoice-submit').click();
    await panel.locator(`[data-shipment="${waitingId}"][data-status="invoiced"]`).waitFor();
    const right = await checkWaiting();
    expect(BigInt(right.invoiceTotal!.amount)).toBeLessThan(BigInt(wrong.invoiceTotal!.amount));
    expect(right.invoice).toMatchObject({ actualKg: '7', volumetricKg: '25', chargeable: '25', decidedBy: 'volume' });
    const staffSteps = await apiGet<ShipmentJson>(floor, `/api/staff/shipments/${waitingId}`);
    expect(staffSteps.transitions.map((t) => t.to)).toEqual(['requested', 'packed', 'invoiced', 'packed', 'invoiced']);

    // The importer: the figures, why it waits, and the pay button (the wallet covers it, so no transfer is offered).
    await page.goto(`/shipments/${waitingId}`);
    await expect.poll(() => detail.getAttribute('data-status')).toBe('invoiced');
    const { shipment: s } = await apiGet<ShipmentJson>(page, `/api/shipments/${waitingId}`);
    const est = BigInt(s.estimateTotal.amount);
    const inv = BigInt(s.invoiceTotal!.amount);
    const due = BigInt(s.amountDue.amount);
    expect(due).toBe(inv - est);
    expect(BigInt(s.invoice!.difference.amount)).toBe(inv - est);
    const duePanel = detail.getByTestId('due-panel');
    expect(await text(detail, 'fig-estimate')).toBe(rp(est));
    expect(await text(detail, 'fig-invoice')).toBe(rp(inv));
    expect(await text(detail, 'fig-difference')).toBe(`+${rp(inv - est)}`);
    expect(await text(detail, 'fig-difference-hint')).toBe(`${rp(inv - est)} lebih dari perkiraan (${percentOver(inv - est, est)})`);
    expect(await text(detail, 'fig-due')).toBe(rp(due));
    expect(await text(duePanel, 'due-summary')).toBe(`Perkiraan ${rp(est)} sudah ditahan di dompet Anda; tagihan akhir ${rp(inv)}. Sisa yang harus dibayar: ${rp(due)}.`);
    expect(await text(duePanel, 'due-amount')).toBe(`Sisa yang harus dibayar: ${rp(due)}.`);
    await expect.poll(() => duePanel.getByTestId('due-why').getAttribute('data-why')).toBe('tolerance');
    expect(await text(duePanel, 'due-why')).toBe(`Tagihan akhir ${percentOver(inv - est, est)} di atas perkiraan — lebih dari yang boleh kami ambil dari dompet tanpa persetujuan Anda. Karena itu selisihnya belum diambil: pengiriman menunggu sampai Anda membayarnya.`);
    expect(await text(duePanel, 'pay-wallet')).toBe(`Bayar ${rp(due)} dari dompet`);
    await expect(duePanel.getByTestId('pay-bank').count()).resolves.toBe(0);
    await checkQuote(detail.getByTestId('estimate-figures'), s.estimate);
    await checkQuote(detail.getByTestId('invoice-figures'), s.invoice!);
    await harness.shot(page, 'forwarding-shipment-waiting');
    await page.setViewportSize(PHONE);
    await harness.shot(page, 'forwarding-shipment-waiting-phone');
    await duePanel.scrollIntoViewIfNeeded();
    await harness.shot(page, 'forwarding-shipment-waiting-phone-view', false);
    await page.setViewportSize(DESKTOP);
    // The same in English.
    await page.getByTestId('lang-en').click();
    await expect.poll(() => text(duePanel, 'due-why')).toBe(`The final invoice is ${percentOver(inv - est, est).replace(',', '.').replace(' %', '%')} above the estimate — more than we may take from your wallet without asking you. So the difference was not taken: the shipment waits until you pay it.`);
    expect(await text(duePanel, 'pay-wallet')).toBe(`Pay ${formatMoney(due, 'IDR', 'en')} from the wallet`);
    await harness.shot(page, 'forwarding-shipment-waiting-en');
    await page.getByTestId('lang-id').click();
    await expect.poll(() => text(duePanel, 'pay-wallet')).toBe(`Bayar ${rp(due)} dari dompet`);

    // Paid with the button: exactly the difference leaves the wallet.
    const before = await availableOf(page);
    await duePanel.getByTestId('pay-wallet').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('paid');
    const paid = await apiGet<ShipmentJson>(page, `/api/shipments/${waitingId}`);
    expect(paid.shipment.amountDue.amount).toBe('0');
    expect(await availableOf(page)).toBe(before - due);
    await expect.poll(() => text(detail, 'fig-due')).toBe(rp(0n));
    expect(await text(detail, 'fig-difference-hint')).toBe(`${rp(inv - est)} dibayar di atas perkiraan (${percentOver(inv - est, est)})`);
    await expect(detail.getByTestId('due-panel').count()).resolves.toBe(0);
    const steps = detail.getByTestId('shipment-timeline').getByTestId('timeline-step');
    await steps.last().getByText(`dibayar: perkiraan ${rp(est)} + ${rp(due)} dari dompet`).waitFor();
    await harness.shot(page, 'forwarding-shipment-paid-difference');
    expect(warehouse.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('finance credits part of the paid invoice; the staff panel and the importer show the credit note, the wallet has it', async () => {
    const finance = await staffLogin('finance@demo.jembatan.id');
    const { page: desk } = finance;
    await desk.goto(`/warehouse?tab=shipments&shipment=${waitingId}`);
    const panel = desk.getByTestId('staff-shipment-detail');
    await panel.locator(`[data-shipment="${waitingId}"][data-status="paid"]`).waitFor();
    const { shipment: before } = await apiGet<ShipmentJson>(desk, `/api/staff/shipments/${waitingId}`);
    const inv = BigInt(before.invoiceTotal!.amount);
    expect(before.credited.amount).toBe('0');
    const credit = panel.getByTestId('credit-form');
    await credit.getByText(`paling banyak ${rp(inv)}`, { exact: false }).waitFor();
    // More than was invoiced: refused before it is sent.
    await credit.getByTestId('credit-amount').fill('99.000.000');
    await credit.getByTestId('credit-reason').fill('Berat tertagih 1 kg terlalu banyak (timbangan salah kalibrasi)');
    await credit.getByTestId('credit-submit').click();
    await credit.getByText(`Paling banyak ${rp(inv)} (tagihan dikurangi kredit sebelumnya).`).waitFor();
    await credit.getByTestId('credit-amount').fill('85.000');
    await harness.shot(desk, 'forwarding-credit-form');
    const walletBefore = await availableOf(importer.page);
    await credit.getByTestId('credit-submit').click();
    await credit.getByText(`${rp(8_500_000n)} dikreditkan ke dompet importir.`).waitFor();
    const { shipment: after } = await apiGet<ShipmentJson>(desk, `/api/staff/shipments/${waitingId}`);
    expect(after.credited).toEqual({ amount: '8500000', currency: 'IDR' });
    await expect.poll(() => text(panel, 'staff-credited')).toContain(rp(after.credited));
    expect(await text(panel, 'staff-credited-net')).toBe(`Tagihan akhir setelah kredit: ${rp(inv - 8_500_000n)}`);
    expect(await text(panel, 'staff-invoice')).toBe(rp(inv));
    await harness.shot(desk, 'forwarding-staff-credited');
    await desk.setViewportSize(PHONE);
    await harness.shot(desk, 'forwarding-staff-credited-phone');
    await panel.getByTestId('staff-credited').scrollIntoViewIfNeeded();
    await harness.shot(desk, 'forwarding-staff-credited-phone-view', false);

    // The importer: the credit note on the shipment and in the list, and in the wallet.
    const { page } = importer;
    expect(await availableOf(page)).toBe(walletBefore + 8_500_000n);
    await page.goto(`/shipments/${waitingId}`);
    const detail = page.getByTestId('shipment-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('paid');
    const { shipment: s } = await apiGet<ShipmentJson>(page, `/api/shipments/${waitingId}`);
    expect(s.credited).toEqual(after.credited);
    expect(await text(detail, 'credited-text')).toBe(`Nota kredit: ${rp(s.credited)} dikembalikan ke dompet Anda.`);
    expect(await text(detail, 'credited-net')).toBe(`Tagihan akhir setelah kredit: ${rp(BigInt(s.invoiceTotal!.amount) - BigInt(s.credited.amount))}`);
    expect(await text(detail, 'fig-invoice')).toBe(rp(s.invoiceTotal!));
    await harness.shot(page, 'forwarding-shipment-credited');
    await page.setViewportSize(PHONE);
    await harness.shot(page, 'forwarding-shipment-credited-phone');
    await harness.shot(page, 'forwarding-shipment-credited-phone-view', false);
    await page.setViewportSize(DESKTOP);
    await page.goto('/shipments');
    const row = page.locator(`[data-testid="shipment-row"][data-shipment="${waitingId}"]`);
    expect(await text(row, 'row-credited')).toBe(`kredit ${rp(s.credited)}`);
    expect(finance.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('escrow: a parcel of an escrow order received damaged keeps the money held; the importer is sent to the order to release or dispute', async () => {
    const { page } = importer;
    // Set up through the payments API (tested on its own): an escrow order for 1688 order 3318800000000777, funded from the wallet.
    const supplier = await apiPost<{ supplier: { id: string } }>(page, '/api/suppliers', { storeName: 'Xingchen Official Store', companyName: '义乌市星辰贸易有限公司' });
    expect(supplier.status).toBe(201);
    const payee = await apiPost<{ payee: { id: string } }>(page, '/api/payees', { supplierId: supplier.body.supplier.id, kind: 'alipay', account: '+86 138-0013-8000', holderName: '义乌市星辰贸易有限公司' });
    expect(payee.status, JSON.stringify(payee.body)).toBe(201);
    const cny = { amount: '50000', currency: 'CNY' };
    const order = await apiPost<{ order: { id: string } }>(page, '/api/payment-orders', { supplierId: supplier.body.supplier.id, payeeId: payee.body.payee.id, orderNumbers: ['3318800000000777'], cny, mode: 'escrow' });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const orderId = order.body.order.id;
    const quote = await apiPost<{ token: string }>(page, '/api/quotes', { cny });
    const accepted = await apiPost<{ quote: { id: string } }>(page, '/api/quotes/accept', { token: quote.body.token });
    const funded = await apiPost<{ order: { status: string } }>(page, `/api/payment-orders/${orderId}/fund`, { quoteId: accepted.body.quote.id, method: 'wallet' });
    expect(funded.status, JSON.stringify(funded.body)).toBe(200);
    expect(funded.body.order.status).toBe('held');

    // The warehouse receives its box on the phone: wet, the order number on the label.
    const { page: floor } = warehouse;
    await floor.setViewportSize(PHONE);
    await floor.goto('/warehouse');
    const form = floor.getByTestId('receive-form');
    await form.getByTestId('receive-trackingNumber').fill('SF7700445566778');
    await form.getByTestId('receive-markingRead').fill(marking);
    await expect.poll(() => text(form, 'marking-customer')).toBe(DEMO_IMPORTER.customer);
    await form.getByTestId('receive-cartons').fill('1');
    await form.getByTestId('receive-weightKg').fill('4,2');
    await form.getByTestId('receive-lengthCm').fill('40');
    await form.getByTestId('receive-widthCm').fill('30');
    await form.getByTestId('receive-heightCm').fill('30');
    await form.getByTestId('receive-condition').getByText('Basah', { exact: true }).click();
    await form.getByTestId('receive-conditionNote').fill('kardus basah di satu sisi');
    await form.getByTestId('receive-orderNumbers').fill('3318800000000777');
    await form.getByTestId('receive-submit').click();
    await expect.poll(() => text(floor.getByTestId('received-card'), 'received-title')).toBe(`SF7700445566778 diterima untuk ${DEMO_IMPORTER.customer}`);
    const [wet] = (await apiGet<{ parcels: (ParcelJson & { paymentOrderId: string | null; condition: string })[] }>(floor, '/api/staff/parcels?q=SF7700445566778')).parcels;
    expect(wet).toMatchObject({ paymentOrderId: orderId, condition: 'wet', status: 'received' });
    // Not released: the money stays held.
    expect((await apiGet<{ order: { status: string } }>(page, `/api/payment-orders/${orderId}`)).order.status).toBe('held');
    await floor.getByTestId('received-open').click();
    const panel = floor.getByTestId('staff-parcel-detail');
    expect(await text(panel, 'staff-escrow-kept')).toBe('Tiba basah: dana escrow tidak dilepas, importir diberi tahu.');

    // The importer: the notice on the parcel, with the way to the order.
    await page.setViewportSize(PHONE);
    await page.goto(`/parcels/${wet!.id}`);
    const notice = page.getByTestId('condition-notice');
    await expect.poll(() => notice.getAttribute('data-escrow-held')).toBe('true');
    expect(await text(page, 'condition-notice')).toBe(
      `Paket tiba dalam kondisi basah, jadi dana pesanan ${orderId} tidak dilepas otomatis ke pemasok. Periksa foto paket: lepaskan dana bila barang baik, atau ajukan sengketa.`,
    );
    await harness.shot(page, 'forwarding-parcel-escrow-kept-phone');
    await page.getByTestId('condition-order-link').click();
    await page.locator(`[data-testid="order-detail"][data-order="${orderId}"][data-status="held"]`).waitFor();
    await page.getByTestId('order-release').waitFor();
    // It lands on the dispute form, in view (release is the choice above it).
    expect(new URL(page.url()).hash).toBe('#dispute');
    await expect
      .poll(async () => {
        const box = await page.getByTestId('dispute-form').boundingBox();
        return box !== null && box.y >= 0 && box.y < PHONE.height / 2;
      })
      .toBe(true);
    await harness.shot(page, 'forwarding-escrow-kept-order-phone', false);
    await page.setViewportSize(DESKTOP);
    expect(warehouse.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });

  it('a difference the wallet cannot cover: the importer is offered a bank transfer for the shortfall only, and asking twice gives the same transfer', async () => {
    const { page } = importer;
    await page.setViewportSize(DESKTOP);
    const zto = (await apiGet<{ parcels: ParcelJson[] }>(page, '/api/parcels?status=received')).parcels.find((p) => p.trackingNumber === 'ZTO758800112233')!;
    await page.goto(`/shipments?tab=new&parcels=${zto.id}`);
    const formCard = page.getByTestId('estimate-form');
    await expect.poll(() => formCard.getByTestId('estimate-destination').inputValue()).toBe('Jakarta');
    await formCard.getByTestId('estimate-submit').click();
    await page.getByTestId('estimate-result').locator('[data-mode="air"]').getByTestId('mode-choose').click();
    const request = page.getByTestId('request-form');
    await request.getByTestId('request-address').fill('CV Maju Jaya Abadi, Jl. Mangga Dua Raya No. 8, Jakarta Utara 14430');
    await request.getByTestId('request-submit').click();
    const detail = page.getByTestId('shipment-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('requested');
    const id = (await detail.getAttribute('data-shipment'))!;

    // Repacked onto a pallet of ten big cartons: far more than the wallet holds.
    const { page: floor } = warehouse;
    await floor.setViewportSize(DESKTOP);
    await floor.goto(`/warehouse?tab=shipments&shipment=${id}`);
    const panel = floor.getByTestId('staff-shipment-detail');
    const pack = panel.getByTestId('pack-form');
    await pack.getByTestId('pack-count').fill('10');
    await pack.getByTestId('pack-length').fill('120');
    await pack.getByTestId('pack-width').fill('100');
    await pack.getByTestId('pack-height').fill('100');
    await pack.getByTestId('pack-weight').fill('80');
    await pack.getByTestId('pack-submit').click();
    await panel.locator(`[data-shipment="${id}"][data-status="packed"]`).waitFor();
    await panel.getByTestId('invoice-submit').click();
    await panel.locator(`[data-shipment="${id}"][data-status="invoiced"]`).waitFor();

    await page.goto(`/shipments/${id}`);
    await expect.poll(() => detail.getAttribute('data-status')).toBe('invoiced');
    const { shipment: s } = await apiGet<ShipmentJson>(page, `/api/shipments/${id}`);
    const due = BigInt(s.amountDue.amount);
    const wallet = await availableOf(page);
    expect(due).toBeGreaterThan(wallet);
    const short = due - wallet;
    const duePanel = detail.getByTestId('due-panel');
    await expect.poll(() => duePanel.getByTestId('due-why').getAttribute('data-why')).toBe('wallet');
    expect(await text(duePanel, 'due-why')).toBe(`Saldo dompet yang tersedia ${rp(wallet)}, kurang ${rp(short)} untuk selisih ini. Transfer kekurangannya (tagihan lunas sendiri setelah dana masuk), atau isi dompet lalu bayar dari dompet.`);
    expect(await text(duePanel, 'pay-bank')).toBe(`Transfer bank ${rp(short)}`);

    // Paying from the wallet is refused with what to top up.
    await duePanel.getByTestId('pay-wallet').click();
    await duePanel.getByText(`Isi dompet minimal ${rp(short)} lalu coba lagi.`).waitFor();

    // The transfer asks for the shortfall only; asked again, the same deposit (200).
    const first = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/shipments/${id}/deposit`);
    await duePanel.getByTestId('pay-bank').click();
    const opened = await first;
    expect(opened.status()).toBe(201);
    const { deposit } = (await opened.json()) as { deposit: { id: string; requested: Money; amountDue: Money; reference: { type: string; id: string } } };
    expect(BigInt(deposit.requested.amount)).toBe(short);
    expect(deposit.reference).toEqual({ type: 'shipment', id });
    expect(await text(duePanel, 'deposit-amount')).toBe(rp(deposit.amountDue));
    await harness.shot(page, 'forwarding-shipment-shortfall-transfer');
    await page.setViewportSize(PHONE);
    await duePanel.getByTestId('deposit-instructions').scrollIntoViewIfNeeded();
    await harness.shot(page, 'forwarding-shipment-shortfall-transfer-phone-view', false);
    await page.setViewportSize(DESKTOP);
    const second = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/shipments/${id}/deposit`);
    await duePanel.getByTestId('pay-bank').click();
    const again = await second;
    expect(again.status()).toBe(200);
    expect(((await again.json()) as { deposit: { id: string } }).deposit.id).toBe(deposit.id);
    expect(await text(duePanel, 'deposit-amount')).toBe(rp(deposit.amountDue));
    expect(warehouse.errors).toEqual([]);
    expect(importer.errors).toEqual([]);
  });
});
