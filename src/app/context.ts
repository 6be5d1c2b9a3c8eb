import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import type { JobRegistry, Worker } from '../jobs/worker.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Mailer } from '../notify/mailer.ts';
import type { RateFetcher } from '../fx/fetcher.ts';
import type { PricingCache } from '../fx/pricing.ts';
import type { Config } from './config.ts';
import type { FileStorage } from '../documents/storage.ts';
import type { PaymentGateway } from '../funding/gateway.ts';
import type { PayoutRail } from '../payments/rails.ts';

/** Everything a use case may need, built once at start and passed down explicitly. */
export interface AppContext {
  config: Config;
  database: Database;
  logger: Logger;
  mailer: Mailer;
  secrets: SecretBox;
  jobs: JobRegistry;
  /** Rates, spreads and fees in force, cached briefly so that showing a quote reads nothing. */
  pricing: PricingCache;
  /** The automatic rate source, when one is configured (FX_FEED_URL). */
  rateFetcher?: RateFetcher;
  /** Proofs, invoices and other uploaded files. */
  files: FileStorage;
  /** Automatic payout rails by name (the manual rail is the payout desk itself). */
  rails: ReadonlyMap<string, PayoutRail>;
  /** The payment gateway for virtual accounts, when one is configured (XENDIT_*). */
  gateway?: PaymentGateway;
  /** Present when this process runs the worker; lets writers wake it instead of waiting for a poll. */
  worker?: Worker;
}
