import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_ledger.ts';
import * as m0003 from './0003_pricing.ts';
import * as m0004 from './0004_funding.ts';
import * as m0005 from './0005_payments.ts';
import * as m0006 from './0006_forwarding.ts';
import * as m0007 from './0007_ledger_speed.ts';
import * as m0008 from './0008_import_speed.ts';

/** Versioned migrations, applied in name order. Never edit one that has shipped: add a new one. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_ledger': m0002,
  '0003_pricing': m0003,
  '0004_funding': m0004,
  '0005_payments': m0005,
  '0006_forwarding': m0006,
  '0007_ledger_speed': m0007,
  '0008_import_speed': m0008,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
