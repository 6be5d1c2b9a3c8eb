import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, systemActor, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, WarehousesTable } from '../db/schema.ts';
import { renderPdf } from '../documents/pdf.ts';
import { newId } from '../lib/ids.ts';
import { luhnCheckDigit, luhnValid } from '../lib/luhn.ts';

export type Warehouse = Selectable<WarehousesTable>;

export interface WarehouseInput {
  code: string;
  name: string;
  city: string;
  addressZh: string;
  addressLatin: string;
  contactName: string;
  contactPhone: string;
  openingDays: string;
  active?: boolean;
}

const clean = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();

export async function createWarehouse(db: Kysely<DB>, actor: Actor, input: WarehouseInput): Promise<Warehouse> {
  const code = clean(input.code).toUpperCase();
  if (!/^[A-Z0-9]{2,10}$/.test(code)) throw new AppError('validation_failed', 'A warehouse code is 2–10 letters or digits, e.g. GZ or YW1.', { field: 'code' });
  const taken = await db.selectFrom('warehouses').select('id').where('code', '=', code).executeTakeFirst();
  if (taken) throw new AppError('conflict', `Warehouse code ${code} is taken.`, { field: 'code' });
  const row = await db
    .insertInto('warehouses')
    .values({
      id: newId('warehouse'),
      code,
      name: clean(input.name),
      city: clean(input.city),
      address_zh: clean(input.addressZh),
      address_latin: clean(input.addressLatin),
      contact_name: clean(input.contactName),
      contact_phone: clean(input.contactPhone),
      opening_days: clean(input.openingDays),
      active: input.active ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.warehouse_created', objectType: 'warehouse', objectId: row.id, data: { code, city: row.city } });
  return row;
}

export async function updateWarehouse(db: Kysely<DB>, actor: Actor, id: string, input: Partial<Omit<WarehouseInput, 'code'>>): Promise<Warehouse> {
  const before = await getWarehouse(db, id);
  const set = {
    ...(input.name !== undefined ? { name: clean(input.name) } : {}),
    ...(input.city !== undefined ? { city: clean(input.city) } : {}),
    ...(input.addressZh !== undefined ? { address_zh: clean(input.addressZh) } : {}),
    ...(input.addressLatin !== undefined ? { address_latin: clean(input.addressLatin) } : {}),
    ...(input.contactName !== undefined ? { contact_name: clean(input.contactName) } : {}),
    ...(input.contactPhone !== undefined ? { contact_phone: clean(input.contactPhone) } : {}),
    ...(input.openingDays !== undefined ? { opening_days: clean(input.openingDays) } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  const row = await db.updateTable('warehouses').set({ ...set, updated_at: sql<Date>`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.warehouse_updated', objectType: 'warehouse', objectId: id, data: { before: publicWarehouse(before), changed: Object.keys(set) } });
  return row;
}

export async function getWarehouse(db: Kysely<DB>, id: string): Promise<Warehouse> {
  const w = await db.selectFrom('warehouses').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) throw new AppError('not_found', `No warehouse ${id}.`);
  return w;
}

export async function listWarehouses(db: Kysely<DB>, options: { activeOnly?: boolean } = {}): Promise<Warehouse[]> {
  let q = db.selectFrom('warehouses').selectAll().orderBy('code');
  if (options.activeOnly) q = q.where('active', '=', true);
  return q.execute();
}

export function publicWarehouse(w: Warehouse) {
  return {
    id: w.id,
    code: w.code,
    name: w.name,
    city: w.city,
    addressZh: w.address_zh,
    addressLatin: w.address_latin,
    contactName: w.contact_name,
    contactPhone: w.contact_phone,
    openingDays: w.opening_days,
    active: w.active,
  };
}

// ---- marking codes --------------------------------------------------------------------

const MARKING_PREFIX = 'JBT';

/**
 * The importer's marking code, created on first use: a sequence number and a Luhn check
 * digit (JBT-10016, JBT-10024…), so a digit misread off a box or mistyped makes the code
 * invalid (unidentified queue) instead of giving the parcel to another importer.
 */
export async function ensureMarkingCode(db: Kysely<DB>, customerId: string): Promise<string> {
  const existing = await db.selectFrom('marking_codes').select('code').where('customer_id', '=', customerId).executeTakeFirst();
  if (existing) return existing.code;
  const customer = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', 'No such customer.');
  const { n } = await sql<{ n: bigint }>`select nextval('marking_code_seq') as n`.execute(db).then((r) => r.rows[0]!);
  await db
    .insertInto('marking_codes')
    .values({ customer_id: customerId, code: `${MARKING_PREFIX}-${n}${luhnCheckDigit(String(n))}` })
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
  const row = await db.selectFrom('marking_codes').select('code').where('customer_id', '=', customerId).executeTakeFirstOrThrow();
  await recordAudit(db, systemActor, { action: 'forwarding.marking_code_assigned', objectType: 'customer', objectId: customerId, data: { code: row.code } });
  return row.code;
}

/**
 * What staff read off a box, as a marking code: full-width characters, spaces, a missing or
 * odd dash and lower case are all forgiven ("ｊｂｔ 10016", "JBT10016" → "JBT-10016").
 * Null when it does not look like one or its check digit is wrong.
 */
export function normaliseMarking(read: string | null | undefined): string | null {
  if (!read) return null;
  const s = read.normalize('NFKC').toUpperCase().replace(/[\s_–—-]/g, '');
  const m = new RegExp(`^${MARKING_PREFIX}([1-9]\\d{3,11})$`).exec(s);
  return m && luhnValid(m[1]!) ? `${MARKING_PREFIX}-${m[1]}` : null;
}

export async function customerByMarking(db: Kysely<DB>, code: string): Promise<string | null> {
  const row = await db.selectFrom('marking_codes').select('customer_id').where('code', '=', code).executeTakeFirst();
  return row?.customer_id ?? null;
}

/** The address an importer gives suppliers for one warehouse: the marking code where suppliers write it. */
export function addressCard(w: Warehouse, marking: string, customerName: string) {
  return {
    warehouse: publicWarehouse(w),
    markingCode: marking,
    // Chinese sellers fill in 收货人 (consignee), 电话 and 地址: the code goes in the name and after the address.
    zh: {
      consignee: `${w.contact_name} ${marking}`,
      phone: w.contact_phone,
      address: `${w.address_zh}（唛头：${marking}）`,
      copyText: `收货人：${w.contact_name} ${marking}\n电话：${w.contact_phone}\n地址：${w.address_zh}（唛头：${marking}）`,
    },
    latin: { consignee: `${w.contact_name} ${marking}`, address: `${w.address_latin} (Mark: ${marking})` },
    customerName,
    instructions: {
      id: [
        `Berikan alamat di atas kepada pemasok 1688 Anda, persis seperti tertulis.`,
        `Minta pemasok menulis kode marking ${marking} pada nama penerima dan pada setiap kardus (唛头).`,
        `Paket tanpa kode yang terbaca masuk antrean "tidak dikenal"; Anda bisa mengklaimnya dengan nomor resi dan bukti pesanan.`,
        `Daftarkan nomor resi lebih dulu di menu Paket agar paket langsung dikenali saat tiba.`,
        `Gudang buka: ${w.opening_days}.`,
      ],
      en: [
        `Give the address above to your 1688 supplier exactly as written.`,
        `Ask the supplier to write the marking code ${marking} in the consignee name and on every carton (唛头).`,
        `Parcels without a readable code go to the "unidentified" queue; you can claim them with the tracking number and proof of order.`,
        `Announce tracking numbers in Parcels beforehand so the parcel is recognised when it arrives.`,
        `Warehouse opening days: ${w.opening_days}.`,
      ],
    },
  };
}

/** The shipping-mark label (唛头) to print or send to suppliers: A6, Chinese and Latin. */
export async function shippingMarkPdf(w: Warehouse, marking: string, customerName: string): Promise<Buffer> {
  return renderPdf({ title: `唛头 Shipping mark ${marking}`, subject: `${w.name} — ${customerName}`, size: 'A6', margin: 18 }, (doc) => {
    const width = doc.page.width - 36;
    doc.font('bold').fontSize(11).fillColor('#000000').text('唛头 / Shipping mark / Kode marking', { width, align: 'center' });
    doc.moveDown(0.3);
    doc.font('bold').fontSize(40).text(marking, { width, align: 'center' });
    doc.moveDown(0.2);
    doc.font('regular').fontSize(9).text(`收货人 Consignee: ${w.contact_name} ${marking}`, { width });
    doc.text(`电话 Tel: ${w.contact_phone}`, { width });
    doc.moveDown(0.2);
    doc.font('bold').fontSize(9).text(`地址：${w.address_zh}`, { width });
    doc.font('regular').fontSize(8).text(w.address_latin, { width });
    doc.moveDown(0.4);
    doc.fontSize(9).text('件数 Koli / Cartons:  ____ / ____', { width });
    doc.text('1688 订单号 Order no.: ______________________', { width });
    doc.moveDown(0.4);
    doc.fontSize(7).fillColor('#444444').text(`${w.name} (${w.code}) · ${customerName}`, { width, align: 'center' });
  });
}
