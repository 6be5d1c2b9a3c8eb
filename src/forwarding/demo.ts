import type { Kysely } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { FileStorage } from '../documents/storage.ts';
import { Money } from '../money/money.ts';
import { receiveParcel } from './parcels.ts';
import { addTariff, type TariffInput } from './tariffs.ts';
import { createWarehouse, ensureMarkingCode } from './warehouses.ts';

const noFiles: FileStorage = {
  put: async () => {
    throw new Error('the demo stores no files');
  },
  get: async () => {
    throw new Error('the demo stores no files');
  },
};

const idr = (rupiah: string) => Money.fromDecimal(rupiah, 'IDR');

/** Two warehouses, their tariffs to Jakarta and Surabaya, and a few parcels for the demo importer. */
export async function seedDemoForwarding(tx: Kysely<DB>, importerCustomerId: string): Promise<void> {
  const gz = await createWarehouse(tx, systemActor, {
    code: 'GZ',
    name: 'Gudang Guangzhou',
    city: 'Guangzhou',
    addressZh: '广东省广州市白云区石井街道石沙路1688号 桥仓库 A3 栋',
    addressLatin: 'Warehouse A3, No. 1688 Shisha Road, Shijing, Baiyun District, Guangzhou, Guangdong',
    contactName: '陈先生',
    contactPhone: '+86 138 0013 8000',
    openingDays: 'Senin–Sabtu 09.00–18.00 (waktu Tiongkok)',
  });
  const yw = await createWarehouse(tx, systemActor, {
    code: 'YW',
    name: 'Gudang Yiwu',
    city: 'Yiwu',
    addressZh: '浙江省金华市义乌市福田街道诚信大道88号 桥物流园 2 号库',
    addressLatin: 'Warehouse 2, Jembatan Logistics Park, No. 88 Chengxin Avenue, Futian, Yiwu, Zhejiang',
    contactName: '王女士',
    contactPhone: '+86 139 5790 1688',
    openingDays: 'Senin–Sabtu 08.30–17.30 (waktu Tiongkok)',
  });
  const from = '2026-01-01';
  const air = (warehouseId: string, destination: string, category: string, rate: string, lead: [number, number]): TariffInput => ({
    warehouseId, destination, mode: 'air', category, basis: 'kg', rate: idr(rate), volumetricDivisor: 6000, roundingStep: '0.5', minChargeable: '1',
    minimumCharge: idr('100000'), insurancePercent: '1', insuranceMinimum: idr('25000'), leadDaysMin: lead[0], leadDaysMax: lead[1], effectiveFrom: from,
  });
  const sea = (warehouseId: string, destination: string, category: string, rate: string, lead: [number, number]): TariffInput => ({
    warehouseId, destination, mode: 'sea', category, basis: 'cbm', rate: idr(rate), kgPerCbm: 1000, roundingStep: '0.01', minChargeable: '0.1',
    minimumCharge: idr('500000'), insurancePercent: '0.5', insuranceMinimum: idr('50000'), leadDaysMin: lead[0], leadDaysMax: lead[1], effectiveFrom: from,
  });
  const tariffs: TariffInput[] = [
    air(gz.id, 'Jakarta', 'general', '85000', [5, 8]),
    air(gz.id, 'Jakarta', 'battery', '120000', [7, 12]),
    air(gz.id, 'Jakarta', 'cosmetics', '110000', [6, 10]),
    sea(gz.id, 'Jakarta', 'general', '5500000', [21, 30]),
    sea(gz.id, 'Jakarta', 'textile', '5000000', [21, 30]),
    sea(gz.id, 'Jakarta', 'battery', '7500000', [25, 35]),
    air(gz.id, 'Surabaya', 'general', '90000', [6, 9]),
    sea(gz.id, 'Surabaya', 'general', '6000000', [24, 33]),
    air(yw.id, 'Jakarta', 'general', '88000', [6, 9]),
    sea(yw.id, 'Jakarta', 'general', '5200000', [22, 32]),
  ];
  for (const t of tariffs) await addTariff(tx, systemActor, t);

  const marking = await ensureMarkingCode(tx, importerCustomerId);
  const parcels = [
    { trackingNumber: 'YT7712345678901', courier: 'YTO 圆通', markingRead: marking, cartons: 2, weightKg: '18.4', lengthCm: '50', widthCm: '40', heightCm: '35', supplierName: '义乌市星辰贸易有限公司' },
    { trackingNumber: 'SF1402233445566', courier: 'SF 顺丰', markingRead: marking, cartons: 1, weightKg: '6.2', lengthCm: '60', widthCm: '45', heightCm: '40', supplierName: '广州美妆包装厂' },
    { trackingNumber: 'ZTO758800112233', courier: 'ZTO 中通', markingRead: undefined, cartons: 1, weightKg: '3.5', lengthCm: '30', widthCm: '25', heightCm: '20', conditionNote: 'marking code torn off' },
  ];
  for (const p of parcels) await receiveParcel(tx, noFiles, systemActor, { warehouseId: gz.id, ...p });
}
