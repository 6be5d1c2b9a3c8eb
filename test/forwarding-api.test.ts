/**
 * Forwarding over real HTTP on both databases: warehouses and tariffs (admin), marking codes
 * and address cards, parcels received by marking code or announced tracking number, the
 * unidentified queue and claims, escrow released when the parcel reaches the warehouse,
 * storage after the free period, consolidation of several suppliers' parcels into one
 * shipment held at the estimate and settled on the measured invoice, the journey's timeline
 * with documents, cancellations and insurance claims; the ledger verified after each.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { configureBankAccount } from '../src/funding/bank-accounts.ts';
import { runStorage } from '../src/forwarding/jobs.ts';
import { seedDemoRates } from '../src/fx/demo-rates.ts';
import { createCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../src/ledger/accounts.ts';
import { createEntry } from '../src/ledger/entries.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { Money } from '../src/money/money.ts';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const photo = { fileName: 'kardus.png', contentBase64: PNG.toString('base64') };
const idr = (rupiah: number | bigint) => ({ amount: (BigInt(rupiah) * 100n).toString(), currency: 'IDR' });
const minor = (m: { amount: string }) => BigInt(m.amount);

describe.each(databaseTargets)('forwarding over HTTP on $name', (target) => {
  let tp: TestPlatform;
  let alice: HttpClient;
  let bob: HttpClient;
  let admin: HttpClient;
  let warehouse: HttpClient;
  let ops: HttpClient;
  let finance: HttpClient;
  let aliceId: string;
  let bobId: string;
  let bankId: string;
  let gz: string;
  let aliceMark: string;
  let seq = 0;
  let p0Photo = '';
  const db = () => tp.platform.ctx.database.db;
  const tracking = (tag: string) => `${tag}${target.name === 'pglite' ? 'P' : 'Q'}${Date.now().toString().slice(-7)}${++seq}`.toUpperCase();

  async function expectLedgerClean() {
    expect((await verifyLedger(db())).problems).toEqual([]);
  }
  async function wallet(customerId: string) {
    const w = await ensureCustomerWallet(db(), customerId, 'IDR');
    const a = await db().selectFrom('ledger_accounts').selectAll().where('id', '=', w.id).executeTakeFirstOrThrow();
    return { posted: a.credits_posted - a.debits_posted, held: a.debits_pending, available: a.credits_posted - a.debits_posted - a.debits_pending, id: w.id };
  }
  async function balance(accountId: string): Promise<bigint> {
    const a = await db().selectFrom('ledger_accounts').select(['debits_posted', 'credits_posted']).where('id', '=', accountId).executeTakeFirstOrThrow();
    return a.credits_posted - a.debits_posted;
  }
  async function topUp(customerId: string, rupiah: number, key: string) {
    const w = await ensureCustomerWallet(db(), customerId, 'IDR');
    await createEntry(db(), systemActor, { idempotencyKey: key, reason: 'deposit', postings: [{ debitAccountId: bankId, creditAccountId: w.id, amount: Money.fromDecimal(String(rupiah), 'IDR') }] });
  }
  async function receive(body: Record<string, unknown>) {
    const res = await warehouse.post('/api/staff/parcels', { warehouseId: gz, courier: 'YTO', cartons: 1, weightKg: '5', lengthCm: '40', widthCm: '30', heightCm: '30', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.parcel as { id: string; trackingNumber: string; status: string; customerId: string | null; paymentOrderId: string | null; freeDaysLeft: number; photoIds: string[] };
  }

  beforeAll(async () => {
    tp = await startTestPlatform(target);
    await seedDemoRates(db());
    const bank = await createCompanyAccount(db(), systemActor, { type: 'bank', slug: 'bca-fwd', name: 'BCA', currency: 'IDR' });
    bankId = bank.id;
    await configureBankAccount(db(), systemActor, bankId, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Test', statementFormat: 'bca-csv', acceptsDeposits: true });
    const a = await createImporterAccount(tp, 'PT Alice Import');
    const b = await createImporterAccount(tp, 'CV Bob');
    aliceId = a.customer.id;
    bobId = b.customer.id;
    const staff = await Promise.all((['admin', 'warehouse', 'ops', 'finance'] as const).map((r) => createStaffUser(tp, r, { totp: true })));
    [alice, bob, admin, warehouse, ops, finance] = [tp.client(), tp.client(), tp.client(), tp.client(), tp.client(), tp.client()];
    await signIn(alice, a.user.email);
    await signIn(bob, b.user.email);
    for (const [i, c] of [admin, warehouse, ops, finance].entries()) await signIn(c, staff[i]!.user.email, { totpSecret: staff[i]!.secret! });

    const w = await admin.post('/api/staff/warehouses', {
      code: 'gz',
      name: 'Gudang Guangzhou',
      city: 'Guangzhou',
      addressZh: '广东省广州市白云区石沙路1688号',
      addressLatin: 'No. 1688 Shisha Road, Baiyun, Guangzhou',
      contactName: '陈先生',
      contactPhone: '+86 138 0013 8000',
      openingDays: 'Senin–Sabtu',
    });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect(w.body.warehouse.code).toBe('GZ');
    gz = w.body.warehouse.id;
    const tariff = (body: Record<string, unknown>) => admin.post('/api/staff/freight-tariffs', { warehouseId: gz, destination: 'Jakarta', category: 'general', minimumCharge: idr(100_000), insurancePercent: '1', insuranceMinimum: idr(25_000), effectiveFrom: '2026-01-01', ...body });
    const air = { mode: 'air', basis: 'kg', rate: idr(85_000), volumetricDivisor: 6000, roundingStep: '0.5', minChargeable: '1', leadDaysMin: 5, leadDaysMax: 8 };
    const sea = { mode: 'sea', basis: 'cbm', rate: idr(5_500_000), kgPerCbm: 1000, roundingStep: '0.01', minChargeable: '0.1', minimumCharge: idr(500_000), insurancePercent: '0.5', insuranceMinimum: idr(50_000), leadDaysMin: 21, leadDaysMax: 30 };
    for (const body of [air, sea, { ...air, category: 'battery', rate: idr(120_000) }]) expect((await tariff(body)).status).toBe(201);
    // A later price from next year is recorded but not in force; batteries by sea are not offered.
    expect((await tariff({ ...air, rate: idr(99_000), effectiveFrom: '2099-01-01' })).status).toBe(201);
    expect((await tariff({ ...sea, category: 'battery', available: false })).status).toBe(201);
    const cards = await alice.get('/api/forwarding/address-cards');
    aliceMark = cards.body.markingCode;
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('admin keeps warehouses and tariffs; others cannot; bad tariffs are refused with the field', async () => {
    const body = { warehouseId: gz, destination: 'Surabaya', mode: 'air', category: 'general', basis: 'kg', rate: idr(90_000), volumetricDivisor: 6000, roundingStep: '0.5', minChargeable: '1', minimumCharge: idr(100_000), insurancePercent: '1', insuranceMinimum: idr(0), leadDaysMin: 6, leadDaysMax: 9, effectiveFrom: '2026-01-01' };
    expect((await ops.post('/api/staff/freight-tariffs', body)).status).toBe(403);
    expect((await warehouse.post('/api/staff/freight-tariffs', body)).status).toBe(403);
    expect((await alice.post('/api/staff/freight-tariffs', body)).status).toBe(403);
    const wm = await admin.post('/api/staff/freight-tariffs', { ...body, kgPerCbm: 1000 });
    expect([wm.status, wm.body.code, wm.body.field]).toEqual([400, 'validation_failed', 'kgPerCbm']);
    const lead = await admin.post('/api/staff/freight-tariffs', { ...body, leadDaysMin: 10, leadDaysMax: 5 });
    expect(lead.body.field).toBe('leadDaysMax');
    expect((await admin.post('/api/staff/warehouses', { code: 'GZ', name: 'Again', city: 'Guangzhou', addressZh: '广州市某路1号', addressLatin: 'Somewhere 1', contactName: 'x', contactPhone: '12345', openingDays: 'daily' })).body.code).toBe('conflict');
    // The public page lists what is in force today: the 2099 price and the withdrawn tariff are not.
    const pub = await tp.client().get('/api/public/freight-tariffs');
    const airGeneral = pub.body.tariffs.filter((t: { mode: string; category: string; destination: string }) => t.mode === 'air' && t.category === 'general' && t.destination === 'Jakarta');
    expect(airGeneral.map((t: { rate: { amount: string } }) => t.rate.amount)).toEqual([idr(85_000).amount]);
    expect(pub.body.tariffs.some((t: { mode: string; category: string }) => t.mode === 'sea' && t.category === 'battery')).toBe(false);
    expect(pub.body.storage.freeStorageDays).toBe(30);
    const audit = await db().selectFrom('audit_log').select('action').where('action', 'like', 'forwarding.tariff_added').execute();
    expect(audit.length).toBeGreaterThanOrEqual(5);
  });

  it('each importer has a marking code and an address card that carries it; the label is a PDF', async () => {
    const cards = await alice.get('/api/forwarding/address-cards');
    expect(cards.status).toBe(200);
    // A sequence number and a Luhn check digit: a digit misread off a box is caught.
    expect(cards.body.markingCode).toMatch(/^JBT-\d{5,}$/);
    const digits = cards.body.markingCode.slice(4);
    const typo = `JBT-${digits.slice(0, -2)}${(Number(digits.at(-2)) + 1) % 10}${digits.at(-1)}`;
    expect((await warehouse.get(`/api/staff/marking-codes/${typo}`)).status).toBe(404);
    const misread = await receive({ trackingNumber: tracking('YT'), markingRead: typo });
    expect(misread).toMatchObject({ status: 'unidentified', customerId: null });
    // Asked twice, the same code; Bob's is another.
    expect((await alice.get('/api/forwarding/address-cards')).body.markingCode).toBe(cards.body.markingCode);
    expect((await bob.get('/api/forwarding/address-cards')).body.markingCode).not.toBe(cards.body.markingCode);
    const card = cards.body.cards.find((c: { warehouse: { id: string } }) => c.warehouse.id === gz);
    expect(card.zh.address).toContain(cards.body.markingCode);
    expect(card.zh.consignee).toContain(cards.body.markingCode);
    expect(card.instructions.id.join(' ')).toContain(cards.body.markingCode);
    const label = await alice.get(`/api/forwarding/warehouses/${gz}/label`);
    expect(label.status).toBe(200);
    expect(label.contentType).toBe('application/pdf');
    expect(String(label.body).startsWith('%PDF')).toBe(true);
    expect((await warehouse.get('/api/forwarding/address-cards')).status).toBe(403);
    const who = await warehouse.get(`/api/staff/marking-codes/${encodeURIComponent(cards.body.markingCode.toLowerCase().replace('-', ' '))}`);
    expect(who.body.customer).toMatchObject({ id: aliceId, name: 'PT Alice Import' });
  });

  it('a parcel received with the marking code is the importer’s alone: measured, photographed, free storage counted', async () => {
    const t = tracking('YT');
    // Only warehouse staff (and ops, admin) receive; a renamed executable is not a photo; nothing is created.
    const body = { trackingNumber: t, markingRead: `ｊｂｔ${aliceMark.slice(4)}`, cartons: 2, weightKg: '18.4', lengthCm: '50', widthCm: '40', heightCm: '35', supplierName: '义乌市星辰贸易有限公司', photos: [photo] };
    expect((await alice.post('/api/staff/parcels', { warehouseId: gz, ...body })).status).toBe(403);
    expect((await finance.post('/api/staff/parcels', { warehouseId: gz, ...body })).status).toBe(403);
    const exe = await warehouse.post('/api/staff/parcels', { warehouseId: gz, ...body, photos: [{ fileName: 'foto.png', contentBase64: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1').toString('base64') }] });
    expect([exe.status, exe.body.code]).toEqual([422, 'file_rejected']);
    const bad = await warehouse.post('/api/staff/parcels', { warehouseId: gz, ...body, weightKg: '18.4567' });
    expect(bad.status).toBe(400);
    expect(await db().selectFrom('parcels').select('id').where('tracking_number', '=', t).execute()).toEqual([]);

    const res = await warehouse.post('/api/staff/parcels', { warehouseId: gz, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Staff see at once whose it is.
    expect(res.body.customer).toMatchObject({ id: aliceId, name: 'PT Alice Import', markingCode: aliceMark });
    const p = res.body.parcel;
    p0Photo = p.photoIds[0];
    expect(p).toMatchObject({ status: 'received', customerId: aliceId, freeDaysLeft: 30 });
    expect(p.photoIds).toHaveLength(1);
    const again = await warehouse.post('/api/staff/parcels', { warehouseId: gz, ...body, trackingNumber: t.toLowerCase() });
    expect([again.status, again.body.code, again.body.parcelId]).toEqual([409, 'parcel_already_received', p.id]);

    const mine = await alice.get(`/api/parcels/${p.id}`);
    expect(mine.body.parcel).toMatchObject({ weightKg: '18.4', lengthCm: '50', cartons: 2, volumeCbm: '0.14', trackingNumber: t });
    expect(mine.body.transitions[0]).toMatchObject({ to: 'received', actor: { type: 'staff' } });
    const img = await alice.get(`/api/parcels/${p.id}/photos/${p.photoIds[0]}`);
    expect([img.status, img.contentType]).toEqual([200, 'image/png']);
    expect((await bob.get(`/api/parcels/${p.id}`)).status).toBe(404);
    expect((await bob.get(`/api/parcels/${p.id}/photos/${p.photoIds[0]}`)).status).toBe(404);
    expect((await alice.get('/api/parcels')).body.parcels.map((x: { id: string }) => x.id)).toContain(p.id);
    expect((await bob.get('/api/parcels')).body.parcels.map((x: { id: string }) => x.id)).not.toContain(p.id);
    const note = await db().selectFrom('notifications').select('kind').where('customer_id', '=', aliceId).where('object_id', '=', p.id).execute();
    expect(note.map((n) => n.kind)).toEqual(['parcel.received']);
  });

  it('an unreadable marking goes to the unidentified queue; the owner claims it with evidence and staff decide', async () => {
    const t = tracking('ZTO');
    const p = await receive({ trackingNumber: t, markingRead: 'J?T-12', conditionNote: 'label torn' });
    expect(p).toMatchObject({ status: 'unidentified', customerId: null });
    const queue = await warehouse.get('/api/staff/parcels?status=unidentified');
    expect(queue.body.parcels.map((x: { id: string }) => x.id)).toContain(p.id);
    // Importers find it only by its full tracking number, and see nothing private.
    expect((await bob.get(`/api/parcels/unidentified?tracking=${t.slice(0, -2)}`)).body.parcels).toEqual([]);
    const found = await bob.get(`/api/parcels/unidentified?tracking=${t}`);
    expect(found.body.parcels).toEqual([expect.objectContaining({ id: p.id, trackingNumber: t })]);
    expect(Object.keys(found.body.parcels[0])).not.toContain('conditionNote');
    expect((await bob.get(`/api/parcels/${p.id}`)).status).toBe(404);

    // Two importers claim it; staff approve Bob's, which refuses Alice's.
    const shot = await bob.post('/api/documents', { kind: 'evidence', fileName: 'whatsapp.png', contentBase64: PNG.toString('base64') });
    expect(shot.status).toBe(201);
    expect((await alice.post(`/api/parcels/${p.id}/claims`, { evidence: 'Using a screenshot that is not mine', documentId: shot.body.document.id })).body.code).toBe('not_found');
    const cb = await bob.post(`/api/parcels/${p.id}/claims`, { evidence: 'Supplier sent me this ZTO number on WhatsApp for order 3312456789', documentId: shot.body.document.id });
    const ca = await alice.post(`/api/parcels/${p.id}/claims`, { evidence: 'I think this may be mine, ordered last week' });
    expect([cb.status, ca.status]).toEqual([201, 201]);
    expect((await bob.post(`/api/parcels/${p.id}/claims`, { evidence: 'Claiming it a second time to be sure' })).body.code).toBe('conflict');
    expect((await alice.post(`/api/staff/parcel-claims/${cb.body.claim.id}/decide`, { decision: 'approved', note: 'ok' })).status).toBe(403);
    // Warehouse staff open the evidence before deciding.
    const evidence = await warehouse.get(`/api/staff/parcel-claims/${cb.body.claim.id}/evidence`);
    expect([evidence.status, evidence.contentType]).toEqual([200, 'image/png']);
    const ok = await warehouse.post(`/api/staff/parcel-claims/${cb.body.claim.id}/decide`, { decision: 'approved', note: 'WhatsApp screenshot matches' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const claims = (await warehouse.get(`/api/staff/parcels/${p.id}`)).body.claims;
    expect(claims.map((c: { customerId: string; status: string }) => [c.customerId, c.status]).sort()).toEqual([[aliceId, 'rejected'], [bobId, 'approved']].sort());
    expect((await bob.get(`/api/parcels/${p.id}`)).body.parcel).toMatchObject({ status: 'received', customerId: bobId });
    expect((await warehouse.post(`/api/staff/parcel-claims/${ca.body.claim.id}/decide`, { decision: 'approved', note: 'again' })).body.code).toBe('invalid_state');

    // Staff can also assign one by the marking code they read.
    const q = await receive({ trackingNumber: tracking('ZTO') });
    expect(q.status).toBe('unidentified');
    expect((await warehouse.post(`/api/staff/parcels/${q.id}/assign`, { markingCode: 'JBT-999999', note: 'smudged' })).body.field).toBe('markingCode');
    const assigned = await warehouse.post(`/api/staff/parcels/${q.id}/assign`, { markingCode: aliceMark, note: 'read under UV light' });
    expect(assigned.body.parcel).toMatchObject({ status: 'received', customerId: aliceId });
  });

  it('an announced tracking number identifies the parcel and links it to the payment order; an escrow order is released', async () => {
    // An escrow order of Alice's, funded from the wallet and held.
    await topUp(aliceId, 30_000_000, `alice-escrow-${target.name}`);
    const s = await alice.post('/api/suppliers', { storeName: 'Xingchen Store', companyName: '义乌市星辰贸易有限公司' });
    const pe = await alice.post('/api/payees', { supplierId: s.body.supplier.id, kind: 'alipay', account: '13800138000', holderName: '义乌市星辰贸易有限公司' });
    const order = await alice.post('/api/payment-orders', { supplierId: s.body.supplier.id, payeeId: pe.body.payee.id, orderNumbers: ['3312456789012345'], cny: { amount: '100000', currency: 'CNY' }, mode: 'escrow' });
    const q = await alice.post('/api/quotes', { cny: { amount: '100000', currency: 'CNY' } });
    const acc = await alice.post('/api/quotes/accept', { token: q.body.token });
    const funded = await alice.post(`/api/payment-orders/${order.body.order.id}/fund`, { quoteId: acc.body.quote.id, method: 'wallet' });
    expect(funded.body.order.status).toBe('held');

    const t = tracking('SF');
    expect((await alice.post('/api/parcels/announcements', { trackingNumber: t, orderNumbers: ['3312456789012345'], paymentOrderId: 'po_nope' })).body.field).toBe('paymentOrderId');
    const ann = await alice.post('/api/parcels/announcements', { trackingNumber: t.toLowerCase(), courier: 'SF', orderNumbers: ['3312456789012345'] });
    expect(ann.status, JSON.stringify(ann.body)).toBe(201);
    expect(ann.body.announcement.trackingNumber).toBe(t);
    const p = await receive({ trackingNumber: t });
    expect(p).toMatchObject({ status: 'received', customerId: aliceId, paymentOrderId: order.body.order.id });
    const after = await alice.get(`/api/payment-orders/${order.body.order.id}`);
    expect(after.body.order.status).toBe('queued');
    expect(after.body.transitions.at(-1).reason).toContain(t);
    expect((await alice.get('/api/parcels/announcements')).body.announcements.find((a: { trackingNumber: string }) => a.trackingNumber === t).parcelId).toBe(p.id);

    // An order number written on the box links a parcel too (no escrow: nothing else moves).
    const r = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark, orderNumbers: ['3312456789012345'] });
    expect(r.paymentOrderId).toBe(order.body.order.id);
    await expectLedgerClean();
  });

  it('storage after the free period is charged daily from the wallet, once, or owed until the wallet can pay it', async () => {
    const carol = await createImporterAccount(tp, 'CV Carol');
    const { ensureMarkingCode } = await import('../src/forwarding/warehouses.ts');
    const { freeThroughFor } = await import('../src/forwarding/storage-fees.ts');
    const carolMark = await db().transaction().execute((tx) => ensureMarkingCode(tx, carol.customer.id));
    const charged = await receive({ trackingNumber: tracking('YT'), markingRead: carolMark });
    const owed = await receive({ trackingNumber: tracking('YT'), markingRead: carolMark });
    const warned = await receive({ trackingNumber: tracking('YT'), markingRead: carolMark });
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    // Received 32 days ago (day 1 of 30 free days), so 3 days at Rp 5.000 = Rp 15.000 each. One received 28 days ago: 2 free days left.
    for (const id of [charged.id, owed.id]) await db().updateTable('parcels').set({ received_at: ago(32), free_through: freeThroughFor(ago(32), 30) }).where('id', '=', id).execute();
    await db().updateTable('parcels').set({ received_at: ago(28), free_through: freeThroughFor(ago(28), 30) }).where('id', '=', warned.id).execute();
    await topUp(carol.customer.id, 20_000, `carol-${target.name}`);
    const revenueBefore = await balance(SYSTEM_ACCOUNTS.revenueStorage);

    await runStorage(db());
    const rows = async () => new Map((await db().selectFrom('parcels').selectAll().where('customer_id', '=', carol.customer.id).execute()).map((p) => [p.id, p]));
    let now = await rows();
    // The first (lower id) took Rp 15.000 of the Rp 20.000; the second found Rp 5.000 and owes its Rp 15.000.
    expect(now.get(charged.id)).toMatchObject({ storage_charged: 1_500_000n, storage_owed: 0n });
    expect(now.get(owed.id)).toMatchObject({ storage_charged: 0n, storage_owed: 1_500_000n });
    expect(now.get(warned.id)!.free_warning_sent_at).not.toBeNull();
    expect((await wallet(carol.customer.id)).posted).toBe(500_000n);
    expect(await balance(SYSTEM_ACCOUNTS.revenueStorage)).toBe(revenueBefore + 1_500_000n);
    // Running again the same day charges, owes and warns nothing more.
    await runStorage(db());
    now = await rows();
    expect([now.get(charged.id)!.storage_charged, now.get(owed.id)!.storage_owed]).toEqual([1_500_000n, 1_500_000n]);
    expect(await balance(SYSTEM_ACCOUNTS.revenueStorage)).toBe(revenueBefore + 1_500_000n);
    const warnings = await db().selectFrom('notifications').select('kind').where('customer_id', '=', carol.customer.id).where('kind', '=', 'parcel.free_storage_ending').execute();
    expect(warnings).toHaveLength(1);
    const carolClient = tp.client();
    await signIn(carolClient, carol.user.email);
    expect((await carolClient.get(`/api/parcels/${warned.id}`)).body.parcel.freeDaysLeft).toBe(2);
    expect((await carolClient.get(`/api/parcels/${owed.id}`)).body.parcel).toMatchObject({ freeDaysLeft: 0, storageOwed: { amount: '1500000' } });
    // An estimate shows what is owed as a line of its own.
    const est = await carolClient.post('/api/shipments/estimate', { parcelIds: [owed.id], destination: 'Jakarta', category: 'general', insured: false });
    expect(est.body.options.find((o: { mode: string }) => o.mode === 'air').lines.find((l: { code: string }) => l.code === 'storage').amount.amount).toBe('1500000');

    // Once the wallet has the money, the next run collects what is owed.
    await topUp(carol.customer.id, 2_000_000, `carol-2-${target.name}`);
    await runStorage(db());
    expect((await rows()).get(owed.id)).toMatchObject({ storage_owed: 0n, storage_charged: 1_500_000n });
    expect(await balance(SYSTEM_ACCOUNTS.revenueStorage)).toBe(revenueBefore + 3_000_000n);

    // Requesting a shipment charges the storage due that day first; in a shipment, storage no longer runs.
    await db().updateTable('parcels').set({ storage_charged_through: null, free_through: freeThroughFor(ago(31), 30) }).where('id', '=', charged.id).execute();
    const req = await carolClient.post('/api/shipments', { parcelIds: [charged.id], destination: ' Jakarta ', category: 'general', insured: false, mode: 'air', deliveryAddress: 'Jl. Mangga Dua Raya 8, Jakarta Utara' });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body.shipment.destination).toBe('Jakarta');
    // Two days (yesterday and today) at Rp 5.000.
    expect((await rows()).get(charged.id)!.storage_charged).toBe(2_500_000n);
    await db().updateTable('parcels').set({ free_through: freeThroughFor(ago(40), 30) }).where('id', '=', charged.id).execute();
    await runStorage(db());
    expect((await rows()).get(charged.id)!.storage_charged).toBe(2_500_000n);

    // Per cubic metre: 40×30×30 cm = 0.036 CBM × Rp 25.000 = Rp 900 a day.
    expect((await admin.patch('/api/staff/forwarding/settings', { storageFeeBasis: 'cbm', storageFeePerCbmDay: { amount: '2500050', currency: 'IDR' } })).body.field).toBe('storageFeePerCbmDay');
    expect((await admin.patch('/api/staff/forwarding/settings', { storageFeeBasis: 'cbm' })).status).toBe(200);
    try {
      const cbm = await receive({ trackingNumber: tracking('YT'), markingRead: carolMark });
      await db().updateTable('parcels').set({ received_at: ago(31), free_through: freeThroughFor(ago(31), 30) }).where('id', '=', cbm.id).execute();
      await runStorage(db());
      expect((await rows()).get(cbm.id)!.storage_charged).toBe(2n * 90_000n);
    } finally {
      await admin.patch('/api/staff/forwarding/settings', { storageFeeBasis: 'parcel' });
    }
    await expectLedgerClean();
  });

  it('abandons a parcel only after a full notice period; reinstated, it gets a new one; a found unidentified one too', async () => {
    const dave = await createImporterAccount(tp, 'CV Dave');
    const { ensureMarkingCode } = await import('../src/forwarding/warehouses.ts');
    const { addDays, chinaDate } = await import('../src/forwarding/storage-fees.ts');
    const today = chinaDate(new Date());
    const mark = await db().transaction().execute((tx) => ensureMarkingCode(tx, dave.customer.id));
    const soon = await receive({ trackingNumber: tracking('YT'), markingRead: mark });
    const late = await receive({ trackingNumber: tracking('YT'), markingRead: mark });
    const nobody = await receive({ trackingNumber: tracking('YT') });
    await db().updateTable('parcels').set({ abandon_after: addDays(today, 7) }).where('id', '=', soon.id).execute();
    // Already past its date but never told (the limit was shortened, or the job was down).
    await db().updateTable('parcels').set({ abandon_after: addDays(today, -1) }).where('id', 'in', [late.id, nobody.id]).execute();
    await runStorage(db());
    const row = async (id: string) => db().selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(await row(soon.id)).toMatchObject({ status: 'received', abandon_after: addDays(today, 7) });
    expect((await row(soon.id)).abandon_notice_sent_at).not.toBeNull();
    // Told today, it gets the full seven days.
    expect(await row(late.id)).toMatchObject({ status: 'received', abandon_after: addDays(today, 7) });
    // Nobody to tell: an unidentified parcel past its date is abandoned, and can still be found by its owner.
    expect((await row(nobody.id)).status).toBe('abandoned');
    expect((await bob.get(`/api/parcels/unidentified?tracking=${nobody.trackingNumber}`)).body.parcels.map((x: { id: string }) => x.id)).toEqual([nobody.id]);

    // Seven days on (simulated), the notice has run: abandoned.
    await db().updateTable('parcels').set({ abandon_after: addDays(today, -1) }).where('id', '=', late.id).execute();
    await runStorage(db());
    expect((await row(late.id)).status).toBe('abandoned');
    const kinds = (await db().selectFrom('notifications').select('kind').where('customer_id', '=', dave.customer.id).execute()).map((n) => n.kind).sort();
    expect(kinds).toEqual(['parcel.abandon_notice', 'parcel.abandon_notice', 'parcel.abandoned', 'parcel.received', 'parcel.received']);

    expect((await warehouse.post(`/api/staff/parcels/${soon.id}/reinstate`, { reason: 'asked' })).body.code).toBe('invalid_state');
    const back = await warehouse.post(`/api/staff/parcels/${late.id}/reinstate`, { reason: 'Dave called and will ship this week' });
    expect(back.body.parcel).toMatchObject({ status: 'received', abandonAfter: addDays(today, 90) });
    expect(back.body.transitions.map((t: { to: string }) => t.to)).toEqual(['received', 'abandoned', 'received']);
    // The next run leaves it alone.
    await runStorage(db());
    expect((await row(late.id)).status).toBe('received');
    // An abandoned unidentified parcel can still be found and given to its owner.
    const found = await warehouse.post(`/api/staff/parcels/${nobody.id}/assign`, { markingCode: mark, note: 'found the label inside the box' });
    expect(found.body.parcel).toMatchObject({ status: 'received', customerId: dave.customer.id, abandonAfter: addDays(today, 90) });
  });

  it('consolidates two suppliers’ parcels: estimate per mode, the estimate held, the measured invoice settled exactly', async () => {
    const a = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark, cartons: 1, weightKg: '5', lengthCm: '60', widthCm: '40', heightCm: '40', supplierName: 'Supplier A', orderNumbers: ['3312456789012345'] });
    const b = await receive({ trackingNumber: tracking('SF'), markingRead: aliceMark, cartons: 1, weightKg: '20', lengthCm: '30', widthCm: '30', heightCm: '30', supplierName: 'Supplier B' });
    const request = { parcelIds: [a.id, b.id], destination: 'Jakarta', category: 'general', insured: true, declaredValue: idr(10_000_000) };
    const est = await alice.post('/api/shipments/estimate', request);
    expect(est.status, JSON.stringify(est.body)).toBe(200);
    // 96,000 + 27,000 cm³ = 123,000 cm³ → 20.5 kg volumetric; 25 kg actual → 25 kg × Rp 85.000 = Rp 2.125.000; insurance 1 % = Rp 100.000.
    const air = est.body.options.find((o: { mode: string }) => o.mode === 'air');
    expect(air).toMatchObject({ actualKg: '25', volumetricKg: '20.5', chargeable: '25', chargeableUnit: 'kg', decidedBy: 'weight', volumeCbm: '0.123', leadDays: { min: 5, max: 8 } });
    expect(air.lines.map((l: { code: string; amount: { amount: string } }) => [l.code, minor(l.amount)])).toEqual([['freight', 212_500_000n], ['insurance', 10_000_000n]]);
    expect(minor(air.total)).toBe(222_500_000n);
    // Sea: 0.123 CBM (25 kg = 0.025 CBM) → 0.13 CBM × Rp 5.500.000 = Rp 715.000; insurance 0.5 % = Rp 50.000.
    const sea = est.body.options.find((o: { mode: string }) => o.mode === 'sea');
    expect(sea).toMatchObject({ chargeable: '0.13', chargeableUnit: 'cbm', decidedBy: 'volume', weightAsCbm: '0.025' });
    expect(minor(sea.total)).toBe(76_500_000n);
    expect(est.body.unavailable).toEqual(['land']);
    const battery = await alice.post('/api/shipments/estimate', { ...request, category: 'battery' });
    expect(battery.body.options.map((o: { mode: string }) => o.mode)).toEqual(['air']);
    // Batteries have their own rate: 25 kg × Rp 120.000 = Rp 3.000.000.
    expect(battery.body.options[0].lines[0].amount).toEqual(idr(3_000_000));
    expect((await alice.post('/api/shipments', { ...request, category: 'battery', mode: 'sea', deliveryAddress: 'Jl. Mangga Dua Raya 8, Jakarta' })).body.code).toBe('tariff_unavailable');
    expect((await bob.post('/api/shipments/estimate', request)).body.field).toBe('parcelIds');

    const before = await wallet(aliceId);
    const body = { ...request, mode: 'air', deliveryAddress: 'Ruko Mangga Dua Square Blok C-12, Jakarta Utara 14430' };
    // Two requests for the same parcels at once: one shipment.
    const [r1, r2] = await Promise.all([alice.post('/api/shipments', body), alice.post('/api/shipments', body)]);
    expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    const created = r1.status === 201 ? r1.body : r2.body;
    const id = created.shipment.id;
    expect(created.shipment).toMatchObject({ status: 'requested', estimateTotal: { amount: '222500000' } });
    expect(created.parcels.map((p: { status: string }) => p.status)).toEqual(['in_shipment', 'in_shipment']);
    const held = await wallet(aliceId);
    expect(held.held - before.held).toBe(222_500_000n);
    expect(held.posted).toBe(before.posted);
    expect((await alice.post('/api/shipments/estimate', request)).body.code).toBe('invalid_state');

    // Repacked into one crate, measured heavier: 70×45×45 cm = 141,750 cm³ (23.625 kg volumetric), 26.2 kg → 26.5 kg
    // × Rp 85.000 = Rp 2.252.500; insurance Rp 100.000; wooden crate Rp 150.000: Rp 2.502.500, Rp 277.500 over the estimate.
    expect((await alice.post(`/api/staff/shipments/${id}/pack`, { packages: [] })).status).toBe(403);
    expect((await warehouse.post(`/api/staff/shipments/${id}/invoice`)).body.code).toBe('invalid_state');
    const pack = await warehouse.post(`/api/staff/shipments/${id}/pack`, { packages: [{ count: 1, lengthCm: '70', widthCm: '45', heightCm: '45', weightKg: '26.2' }], extraCharges: [{ description: 'Peti kayu (wooden crate)', amount: idr(150_000) }] });
    expect(pack.status, JSON.stringify(pack.body)).toBe(200);
    const cargoBefore = await balance(SYSTEM_ACCOUNTS.revenueCargo);
    const insBefore = await balance(SYSTEM_ACCOUNTS.cargoInsurancePayable);
    const issued = await warehouse.post(`/api/staff/shipments/${id}/invoice`);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    // Rp 277.500 is 12.5 % over the estimate, more than the 10 % taken without asking: the importer pays it.
    expect(issued.body.shipment).toMatchObject({ status: 'invoiced', amountDue: { amount: '27750000' } });
    expect(new Date(issued.body.shipment.payBy).getTime() - new Date(issued.body.shipment.invoicedAt).getTime()).toBe(7 * 86_400_000);
    expect((await wallet(aliceId)).posted).toBe(before.posted);
    const inv = await alice.post(`/api/shipments/${id}/pay`);
    expect(inv.status, JSON.stringify(inv.body)).toBe(200);
    const invoice = inv.body.shipment.invoice;
    expect(invoice).toMatchObject({ actualKg: '26.2', volumetricKg: '23.625', chargeable: '26.5', difference: { amount: '27750000' } });
    expect(invoice.lines.map((l: { code: string; amount: { amount: string } }) => [l.code, minor(l.amount)])).toEqual([['freight', 225_250_000n], ['insurance', 10_000_000n], ['extra', 15_000_000n]]);
    expect(inv.body.shipment).toMatchObject({ status: 'paid', invoiceTotal: { amount: '250250000' }, amountDue: { amount: '0' } });
    const after = await wallet(aliceId);
    expect(before.posted - after.posted).toBe(250_250_000n);
    expect(after.held).toBe(before.held);
    expect(await balance(SYSTEM_ACCOUNTS.revenueCargo)).toBe(cargoBefore + 240_250_000n);
    expect(await balance(SYSTEM_ACCOUNTS.cargoInsurancePayable)).toBe(insBefore + 10_000_000n);
    // The clearing account only ever holds pending estimates: nothing posted stays on it.
    expect(await balance(SYSTEM_ACCOUNTS.cargoPayable)).toBe(0n);
    const transitions = (await alice.get(`/api/shipments/${id}`)).body.transitions.map((t: { to: string }) => t.to);
    expect(transitions).toEqual(['requested', 'packed', 'invoiced', 'paid']);
    // An overcharge found after payment: finance gives a credit note, never more than was invoiced.
    expect((await ops.post(`/api/staff/shipments/${id}/credit`, { amount: idr(150_000), reason: 'crate was not needed' })).status).toBe(403);
    expect((await finance.post(`/api/staff/shipments/${id}/credit`, { amount: idr(3_000_000), reason: 'too much' })).body.field).toBe('amount');
    const credit = await finance.post(`/api/staff/shipments/${id}/credit`, { amount: idr(150_000), reason: 'The wooden crate was not used' });
    expect(credit.body.shipment.credited).toEqual(idr(150_000));
    expect(credit.body.shipment.credits).toEqual([{ amount: idr(150_000), reason: 'The wooden crate was not used', at: expect.any(String) }]);
    expect((await wallet(aliceId)).posted).toBe(after.posted + 15_000_000n);
    expect(await balance(SYSTEM_ACCOUNTS.revenueCargo)).toBe(cargoBefore + 240_250_000n - 15_000_000n);
    // The landed-cost calculator takes the real figures; parcel A belongs to the ¥1,000 payment order.
    const lc = await alice.get(`/api/shipments/${id}/landed-cost-inputs`);
    // Freight and extras less the credit note.
    expect(lc.body).toMatchObject({ basis: 'invoice', freight: { amount: '225250000', currency: 'IDR' }, insurance: { amount: '10000000' }, goodsCny: { amount: '100000', currency: 'CNY' } });
    expect((await bob.get(`/api/shipments/${id}`)).status).toBe(404);
    expect((await bob.get(`/api/shipments/${id}/landed-cost-inputs`)).status).toBe(404);

    // The journey: departed with the airway bill, an ETA from the lead time; only allowed steps.
    expect((await alice.post(`/api/staff/shipments/${id}/status`, { to: 'departed' })).status).toBe(403);
    expect((await warehouse.post(`/api/staff/shipments/${id}/status`, { to: 'delivered' })).body.code).toBe('invalid_state');
    const dep = await warehouse.post(`/api/staff/shipments/${id}/status`, { to: 'departed', carrierReference: 'AWB 880-12345675', note: 'CGK via CZ flight', document: { fileName: 'awb.png', contentBase64: PNG.toString('base64') } });
    expect(dep.status, JSON.stringify(dep.body)).toBe(200);
    expect(dep.body.shipment).toMatchObject({ status: 'departed', carrierReference: 'AWB 880-12345675' });
    expect(dep.body.shipment.eta.from < dep.body.shipment.eta.to).toBe(true);
    expect(dep.body.parcels.map((p: { status: string }) => p.status)).toEqual(['shipped', 'shipped']);
    for (const to of ['arrived_port', 'held_customs', 'customs_cleared', 'delivered']) expect((await warehouse.post(`/api/staff/shipments/${id}/status`, { to })).status).toBe(200);
    const seen = await alice.get(`/api/shipments/${id}`);
    expect(seen.body.transitions.map((t: { to: string }) => t.to)).toEqual(['requested', 'packed', 'invoiced', 'paid', 'departed', 'arrived_port', 'held_customs', 'customs_cleared', 'delivered']);
    const docId = seen.body.transitions.find((t: { to: string }) => t.to === 'departed').documentId;
    const doc = await alice.get(`/api/shipments/${id}/documents/${docId}`);
    expect([doc.status, doc.contentType]).toEqual([200, 'image/png']);
    expect((await bob.get(`/api/shipments/${id}/documents/${docId}`)).status).toBe(404);
    expect((await warehouse.get(`/api/staff/shipments/${id}/documents/${docId}`)).status).toBe(200);
    expect((await warehouse.get(`/api/staff/shipments/${id}/documents/${p0Photo}`)).status).toBe(404);
    expect((await alice.post(`/api/shipments/${id}/cancel`)).body.code).toBe('invalid_state');
    const news = (await db().selectFrom('notifications').select('kind').where('object_id', '=', id).execute()).map((n) => n.kind);
    expect(news).toEqual(expect.arrayContaining(['shipment.invoiced', 'shipment.paid', 'shipment.departed', 'shipment.delivered']));
    await expectLedgerClean();
  });

  it('an invoice below the estimate returns the rest; above a short wallet it waits, then is paid after a top-up', async () => {
    const erin = await createImporterAccount(tp, 'CV Erin');
    const { ensureMarkingCode } = await import('../src/forwarding/warehouses.ts');
    const mark = await db().transaction().execute((tx) => ensureMarkingCode(tx, erin.customer.id));
    const client = tp.client();
    await signIn(client, erin.user.email);
    // 40×30×30 cm = 36,000 cm³ = 6 kg volumetric, 5 kg actual: 6 kg × Rp 85.000 = Rp 510.000.
    const p1 = await receive({ trackingNumber: tracking('YT'), markingRead: mark });
    const p2 = await receive({ trackingNumber: tracking('YT'), markingRead: mark });
    const ship = (id: string) => client.post('/api/shipments', { parcelIds: [id], destination: 'Jakarta', category: 'general', insured: false, mode: 'air', deliveryAddress: 'Jl. Pemuda 12, Surabaya Kota' });
    const short = await ship(p1.id);
    expect([short.status, short.body.code, short.body.needed]).toEqual([422, 'insufficient_funds', idr(510_000)]);
    expect(await db().selectFrom('shipments').select('id').where('customer_id', '=', erin.customer.id).execute()).toEqual([]);
    await topUp(erin.customer.id, 1_020_000, `erin-${target.name}`);
    const s1 = (await ship(p1.id)).body.shipment.id;
    const s2 = (await ship(p2.id)).body.shipment.id;
    expect((await wallet(erin.customer.id)).available).toBe(0n);

    // Repacked smaller: 30×30×30 cm = 4.5 kg volumetric, 4 kg → 4.5 kg = Rp 382.500; Rp 127.500 goes back.
    await warehouse.post(`/api/staff/shipments/${s1}/pack`, { packages: [{ count: 1, lengthCm: '30', widthCm: '30', heightCm: '30', weightKg: '4' }] });
    const paid = await warehouse.post(`/api/staff/shipments/${s1}/invoice`);
    expect(paid.body.shipment).toMatchObject({ status: 'paid', invoiceTotal: idr(382_500) });
    expect((await wallet(erin.customer.id)).available).toBe(12_750_000n);

    // Measured bigger: 50×40×40 = 80,000 cm³ = 13.334 kg → 13.5 kg = Rp 1.147.500: Rp 637.500 due beyond the estimate.
    await warehouse.post(`/api/staff/shipments/${s2}/pack`, { packages: [{ count: 1, lengthCm: '50', widthCm: '40', heightCm: '40', weightKg: '5' }] });
    const waiting = await warehouse.post(`/api/staff/shipments/${s2}/invoice`);
    expect(waiting.body.shipment).toMatchObject({ status: 'invoiced', invoiceTotal: idr(1_147_500), amountDue: idr(637_500) });
    const refused = await client.post(`/api/shipments/${s2}/pay`);
    expect([refused.status, refused.body.code, refused.body.needed]).toEqual([422, 'insufficient_funds', idr(510_000)]);
    expect((await client.get(`/api/shipments/${s2}`)).body.shipment.status).toBe('invoiced');
    // The deposit asks only for what the wallet lacks (Rp 637.500 due, Rp 127.500 available); asked again, the same one.
    const dep = await client.post(`/api/shipments/${s2}/deposit`);
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);
    expect(minor(dep.body.deposit.requested)).toBe(51_000_000n);
    expect((await client.post(`/api/shipments/${s2}/deposit`)).body.deposit.id).toBe(dep.body.deposit.id);
    expect((await bob.post(`/api/shipments/${s2}/deposit`)).status).toBe(404);
    // The transfer arrives (credited to the wallet); the sweep pays the shipment the deposit was opened for.
    await topUp(erin.customer.id, 510_000, `erin-2-${target.name}`);
    const { payDueShipments } = await import('../src/forwarding/jobs.ts');
    expect(await payDueShipments(db())).toBeGreaterThanOrEqual(1);
    expect((await client.get(`/api/shipments/${s2}`)).body.shipment.status).toBe('paid');
    const w = await wallet(erin.customer.id);
    expect([w.posted, w.held]).toEqual([(1_020_000n + 510_000n - 382_500n - 1_147_500n) * 100n, 0n]);
    await expectLedgerClean();
  });

  it('cancelled before payment, the estimate returns to the wallet and the parcels to storage; an idempotent retry creates one shipment', async () => {
    const p = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark });
    const before = await wallet(aliceId);
    const body = { parcelIds: [p.id], destination: 'Jakarta', category: 'general', insured: false, mode: 'sea', deliveryAddress: 'Ruko Mangga Dua Square Blok C-12, Jakarta' };
    const key = { headers: { 'idempotency-key': `ship-${target.name}-${p.id}` } };
    const first = await alice.post('/api/shipments', body, key);
    const retry = await alice.post('/api/shipments', body, key);
    expect(first.status).toBe(201);
    expect(retry.body.shipment.id).toBe(first.body.shipment.id);
    expect(await db().selectFrom('shipments').select('id').where('tariff_id', '=', first.body.shipment.tariffId).where('customer_id', '=', aliceId).where('status', '=', 'requested').execute()).toHaveLength(1);
    const id = first.body.shipment.id;
    expect((await bob.post(`/api/shipments/${id}/cancel`)).status).toBe(404);
    const c = await alice.post(`/api/shipments/${id}/cancel`);
    expect(c.body.shipment.status).toBe('cancelled');
    expect(c.body.parcels).toEqual([]);
    expect((await alice.get(`/api/parcels/${p.id}`)).body.parcel).toMatchObject({ status: 'received', shipmentId: null });
    const after = await wallet(aliceId);
    expect([after.posted, after.held]).toEqual([before.posted, before.held]);
    expect((await alice.post(`/api/shipments/${id}/cancel`)).body.code).toBe('invalid_state');
    await expectLedgerClean();
  });

  it('a lost insured shipment: the importer claims, finance approves part, the wallet is credited', async () => {
    const p = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark });
    const s = await alice.post('/api/shipments', { parcelIds: [p.id], destination: 'Jakarta', category: 'general', insured: true, declaredValue: idr(5_000_000), mode: 'air', deliveryAddress: 'Ruko Mangga Dua Square Blok C-12, Jakarta' });
    const id = s.body.shipment.id;
    expect((await alice.post(`/api/shipments/${id}/insurance-claims`, { amount: idr(1_000_000), description: 'Not arrived yet but worried' })).body.code).toBe('invalid_state');
    await warehouse.post(`/api/staff/shipments/${id}/pack`, { packages: [{ count: 1, lengthCm: '40', widthCm: '30', heightCm: '30', weightKg: '5' }] });
    await warehouse.post(`/api/staff/shipments/${id}/invoice`);
    await warehouse.post(`/api/staff/shipments/${id}/status`, { to: 'departed', carrierReference: 'AWB 880-99999990' });
    expect((await warehouse.post(`/api/staff/shipments/${id}/status`, { to: 'lost', note: 'airline cannot trace the pallet' })).status).toBe(200);
    expect((await alice.post(`/api/shipments/${id}/insurance-claims`, { amount: idr(6_000_000), description: 'Declared value is five million' })).body.field).toBe('amount');
    const claim = await alice.post(`/api/shipments/${id}/insurance-claims`, { amount: idr(5_000_000), description: 'The whole pallet was lost by the airline' });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    expect((await alice.post(`/api/shipments/${id}/insurance-claims`, { amount: idr(1_000_000), description: 'A second claim for the same' })).body.code).toBe('conflict');
    expect((await ops.post(`/api/staff/insurance-claims/${claim.body.claim.id}/decide`, { decision: 'approved', note: 'ok' })).status).toBe(403);
    const before = await wallet(aliceId);
    const expenseBefore = await balance(SYSTEM_ACCOUNTS.cargoClaimsExpense);
    const ok = await finance.post(`/api/staff/insurance-claims/${claim.body.claim.id}/decide`, { decision: 'approved', amount: idr(4_000_000), note: 'Insurer pays 80 % of the declared value' });
    expect(ok.body.claim).toMatchObject({ status: 'approved', approved: idr(4_000_000) });
    expect((await wallet(aliceId)).posted - before.posted).toBe(400_000_000n);
    expect(await balance(SYSTEM_ACCOUNTS.cargoClaimsExpense)).toBe(expenseBefore - 400_000_000n);
    expect((await finance.post(`/api/staff/insurance-claims/${claim.body.claim.id}/decide`, { decision: 'approved', note: 'twice' })).body.code).toBe('invalid_state');
    expect((await alice.get(`/api/shipments/${id}`)).body.insuranceClaims[0]).toMatchObject({ status: 'approved' });
    await expectLedgerClean();
  });

  it('warehouse staff re-measure and add photos while a parcel is stored; every change is audited', async () => {
    const p = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark });
    const r = await warehouse.patch(`/api/staff/parcels/${p.id}`, { weightKg: '5.25', condition: 'damaged', conditionNote: 'corner crushed' });
    expect(r.body.parcel).toMatchObject({ weightKg: '5.25', condition: 'damaged' });
    expect((await finance.patch(`/api/staff/parcels/${p.id}`, { weightKg: '1' })).status).toBe(403);
    const ph = await warehouse.post(`/api/staff/parcels/${p.id}/photos`, { photos: [photo, photo] });
    expect(ph.status).toBe(201);
    expect(ph.body.parcel.photoIds).toHaveLength(2);
    const audit = (await db().selectFrom('audit_log').select('action').where('object_id', '=', p.id).execute()).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['forwarding.parcel_received', 'forwarding.parcel_status_changed', 'forwarding.parcel_updated']));
    const staffView = await warehouse.get(`/api/staff/parcels?q=${encodeURIComponent(aliceMark)}`);
    expect(staffView.body.parcels.every((x: { customer: { id: string } }) => x.customer.id === aliceId)).toBe(true);
  });
  it('two scans of one box at once: one parcel, the other told it was received; a misread code is moved to the right importer', async () => {
    const t = tracking('YT');
    const body = { warehouseId: gz, trackingNumber: t, markingRead: aliceMark, cartons: 1, weightKg: '5', lengthCm: '40', widthCm: '30', heightCm: '30' };
    const both = await Promise.all([warehouse.post('/api/staff/parcels', body), ops.post('/api/staff/parcels', body)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.code).toBe('parcel_already_received');
    const p = both.find((r) => r.status === 201)!.body.parcel;
    expect(await db().selectFrom('parcels').select('id').where('tracking_number', '=', t).execute()).toHaveLength(1);

    // It was Bob's box: staff move it; Alice no longer sees it, Bob does; both are told.
    const bobMark = (await bob.get('/api/forwarding/address-cards')).body.markingCode;
    expect((await alice.post(`/api/staff/parcels/${p.id}/reassign`, { markingCode: bobMark, note: 'misread' })).status).toBe(403);
    expect((await warehouse.post(`/api/staff/parcels/${p.id}/reassign`, { markingCode: aliceMark, note: 'same owner' })).body.field).toBe('markingCode');
    const moved = await warehouse.post(`/api/staff/parcels/${p.id}/reassign`, { markingCode: bobMark, note: 'the 6 was an 8 on the label' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await alice.get(`/api/parcels/${p.id}`)).status).toBe(404);
    expect((await bob.get(`/api/parcels/${p.id}`)).body.parcel.customerId).toBe(bobId);
    const told = await db().selectFrom('notifications').select(['customer_id', 'kind']).where('object_id', '=', p.id).execute();
    expect(told.map((n) => [n.customer_id, n.kind]).sort()).toEqual([[aliceId, 'parcel.received'], [aliceId, 'parcel.reassigned'], [bobId, 'parcel.received']].sort());
    const audit = (await db().selectFrom('audit_log').select(['action', 'data']).where('object_id', '=', p.id).where('action', '=', 'forwarding.parcel_reassigned').execute())[0]!;
    expect(audit.data).toMatchObject({ fromCustomerId: aliceId, toCustomerId: bobId, note: 'the 6 was an 8 on the label' });
    // The importer's history says what happened, not the staff note.
    expect(JSON.stringify((await bob.get(`/api/parcels/${p.id}`)).body.transitions)).not.toContain('the 6 was an 8');
  });

  it('a damaged parcel keeps the escrow held and tells the importer', async () => {
    await topUp(aliceId, 5_000_000, `alice-escrow-2-${target.name}`);
    const s = await alice.post('/api/suppliers', { storeName: 'Glass Store', companyName: '义乌市星辰贸易有限公司' });
    const pe = await alice.post('/api/payees', { supplierId: s.body.supplier.id, kind: 'alipay', account: '13800138001', holderName: '义乌市星辰贸易有限公司' });
    const order = await alice.post('/api/payment-orders', { supplierId: s.body.supplier.id, payeeId: pe.body.payee.id, orderNumbers: ['3312456789077777'], cny: { amount: '50000', currency: 'CNY' }, mode: 'escrow' });
    const q = await alice.post('/api/quotes', { cny: { amount: '50000', currency: 'CNY' } });
    const acc = await alice.post('/api/quotes/accept', { token: q.body.token });
    expect((await alice.post(`/api/payment-orders/${order.body.order.id}/fund`, { quoteId: acc.body.quote.id, method: 'wallet' })).body.order.status).toBe('held');
    const p = await receive({ trackingNumber: tracking('SF'), markingRead: aliceMark, orderNumbers: ['3312456789077777'], condition: 'damaged', conditionNote: 'box crushed, glass rattling' });
    expect(p.paymentOrderId).toBe(order.body.order.id);
    expect((await alice.get(`/api/payment-orders/${order.body.order.id}`)).body.order.status).toBe('held');
    const kinds = (await db().selectFrom('notifications').select('kind').where('object_id', '=', order.body.order.id).execute()).map((n) => n.kind);
    expect(kinds).toContain('parcel.escrow_kept');
    await expectLedgerClean();
  });

  it('an invoice with a wrong figure is re-measured before payment; one left unpaid is cancelled after the payment days', async () => {
    const p = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark });
    const s = await alice.post('/api/shipments', { parcelIds: [p.id], destination: 'Jakarta', category: 'general', insured: false, mode: 'air', deliveryAddress: 'Ruko Mangga Dua Square Blok C-12, Jakarta' });
    const id = s.body.shipment.id;
    const before = await wallet(aliceId);
    // 262 kg typed for 26.2 kg: Rp 22.270.000 on a Rp 510.000 estimate: it waits, the wallet is untouched.
    await warehouse.post(`/api/staff/shipments/${id}/pack`, { packages: [{ count: 1, lengthCm: '40', widthCm: '30', heightCm: '30', weightKg: '262' }] });
    const wrong = await warehouse.post(`/api/staff/shipments/${id}/invoice`);
    expect(wrong.body.shipment).toMatchObject({ status: 'invoiced', invoiceTotal: idr(22_270_000) });
    expect((await wallet(aliceId)).posted).toBe(before.posted);
    const fixed = await warehouse.post(`/api/staff/shipments/${id}/pack`, { packages: [{ count: 1, lengthCm: '40', widthCm: '30', heightCm: '30', weightKg: '5.2' }] });
    expect(fixed.body.shipment.status).toBe('packed');
    const right = await warehouse.post(`/api/staff/shipments/${id}/invoice`);
    // 6 kg volumetric vs 5.2 kg: the estimate exactly, paid at once.
    expect(right.body.shipment).toMatchObject({ status: 'paid', invoiceTotal: idr(510_000) });
    const packedAudit = await db().selectFrom('audit_log').select('data').where('object_id', '=', id).where('action', '=', 'forwarding.shipment_packed').execute();
    expect(packedAudit).toHaveLength(2);

    // Another, invoiced above the tolerance and never paid: cancelled after seven days.
    const p2 = await receive({ trackingNumber: tracking('YT'), markingRead: aliceMark });
    const s2 = (await alice.post('/api/shipments', { parcelIds: [p2.id], destination: 'Jakarta', category: 'general', insured: false, mode: 'air', deliveryAddress: 'Ruko Mangga Dua Square Blok C-12, Jakarta' })).body.shipment.id;
    const held = await wallet(aliceId);
    await warehouse.post(`/api/staff/shipments/${s2}/pack`, { packages: [{ count: 1, lengthCm: '60', widthCm: '50', heightCm: '50', weightKg: '5' }] });
    expect((await warehouse.post(`/api/staff/shipments/${s2}/invoice`)).body.shipment.status).toBe('invoiced');
    const { payDueShipments } = await import('../src/forwarding/jobs.ts');
    await payDueShipments(db());
    expect((await alice.get(`/api/shipments/${s2}`)).body.shipment.status).toBe('invoiced');
    await db().updateTable('shipments').set({ invoiced_at: new Date(Date.now() - 8 * 86_400_000) }).where('id', '=', s2).execute();
    await payDueShipments(db());
    const gone = (await alice.get(`/api/shipments/${s2}`)).body;
    expect(gone.shipment.status).toBe('cancelled');
    expect((await alice.get(`/api/parcels/${p2.id}`)).body.parcel.status).toBe('received');
    const after = await wallet(aliceId);
    expect([after.posted, after.held]).toEqual([held.posted, held.held - 51_000_000n]);
    await expectLedgerClean();
  });
});
