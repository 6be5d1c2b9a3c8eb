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
 * calculator with the shipment's figures. The API is called directly only to learn the
 * figures the page must show.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { currentTotp } from '../src/identity/totp.ts';
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

    // The marking code is looked up as it is typed: the importer's name, or "unknown".
    await form.getByTestId('receive-markingRead').fill('JBT-999999');
    await expect.poll(() => form.getByTestId('marking-match').getAttribute('data-state')).toBe('unknown');
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
    await expect(item.count()).resolves.toBe(0);
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
    await page.getByTestId('warehouses-card').locator('[data-warehouse="YW"]').waitFor();
    await harness.shot(page, 'forwarding-tariffs');

    // The importer is offered land now, for a parcel still in storage.
    const { parcels } = await apiGet<{ parcels: ParcelJson[] }>(importer.page, '/api/parcels?status=received');
    const estimate = await apiPost<EstimateJson>(importer.page, '/api/shipments/estimate', { parcelIds: [parcels[0]!.id], destination: 'Jakarta', category: 'general', insured: false });
    expect(estimate.body.options.map((o) => o.mode).sort()).toEqual(['air', 'land', 'sea']);
    expect(estimate.body.unavailable).toEqual([]);
    expect(admin.errors).toEqual([]);
  });
});
