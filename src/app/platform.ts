import path from 'node:path';
import { DiskStorage, type FileStorage } from '../documents/storage.ts';
import { XenditGateway, type PaymentGateway } from '../funding/gateway.ts';
import { TestRail, type PayoutRail } from '../payments/rails.ts';
import type { Logger } from 'pino';
import { migrateToLatest, openDatabase, type Database } from '../db/database.ts';
import { Worker, type WorkerOptions } from '../jobs/worker.ts';
import { loadSecretKey, SecretBox } from '../lib/secret-box.ts';
import { createMailer, type Mailer } from '../notify/mailer.ts';
import { JsonFeedFetcher, type RateFetcher } from '../fx/fetcher.ts';
import { PricingCache } from '../fx/pricing.ts';
import { isDatabaseEmpty, seedDemoData } from '../seed/demo.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { buildJobRegistry } from './jobs.ts';
import { createLogger } from './logger.ts';
import { buildServer, type App } from './server.ts';

export interface ContextOptions {
  /** An already-open database (tests); otherwise opened from the config. */
  database?: Database;
  logger?: Logger;
  mailer?: Mailer;
  rateFetcher?: RateFetcher;
  files?: FileStorage;
  gateway?: PaymentGateway;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config);
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.dataDir }));
  try {
    const secrets = new SecretBox(loadSecretKey(config.secretKey, config.dataDir));
    const mailer = options.mailer ?? createMailer(config.smtpUrl, config.mailFrom);
    const rateFetcher = options.rateFetcher ?? (config.fxFeedUrl ? new JsonFeedFetcher(config.fxFeedUrl) : undefined);
    const pricing = new PricingCache(database.db);
    const rails = new Map<string, PayoutRail>(config.payoutTestRail ? [['test', new TestRail()]] : []);
    const jobs = buildJobRegistry({ mailer, rails, ...(rateFetcher ? { rateFetcher, fxFeedIntervalMinutes: config.fxFeedIntervalMinutes } : {}) });
    const files = options.files ?? new DiskStorage(path.join(config.dataDir, 'files'));
    const gateway = options.gateway ?? (config.xendit ? new XenditGateway(config.xendit) : undefined);
    return { config, database, logger, mailer, secrets, jobs, pricing, files, rails, ...(rateFetcher ? { rateFetcher } : {}), ...(gateway ? { gateway } : {}) };
  } catch (err) {
    if (!options.database) await database.close();
    throw err;
  }
}

export interface Platform {
  ctx: AppContext;
  app: App;
  /** Where it listens, e.g. http://127.0.0.1:3000. */
  url: string;
  seeded: boolean;
  stop(): Promise<void>;
}

export interface StartOptions extends ContextOptions {
  workerOptions?: WorkerOptions;
}

/**
 * Migrates, seeds if empty, serves HTTP and (on PGlite, or when asked) runs the job worker
 * in this process. `stop()` shuts down in order: stop taking requests, finish jobs, close
 * the database (releasing the PGlite lock).
 */
export async function startPlatform(config: Config, options: StartOptions = {}): Promise<Platform> {
  const ctx = await createContext(config, options);
  const ownsDatabase = !options.database;
  let app: App | undefined;
  try {
    if (config.autoMigrate) {
      const { applied } = await migrateToLatest(ctx.database.db);
      if (applied.length > 0) ctx.logger.info({ applied }, 'migrations applied');
    }
    let seeded = false;
    if (config.seedDemo && (await isDatabaseEmpty(ctx.database.db))) {
      seeded = await seedDemoData(ctx.database.db, ctx.secrets);
      if (seeded) ctx.logger.info('demo data seeded');
    }
    if (config.inlineWorker) {
      ctx.worker = new Worker(ctx.database.db, ctx.jobs, ctx.logger, options.workerOptions);
      await ctx.worker.start();
    }
    app = await buildServer(ctx);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const wildcard = ['0.0.0.0', '::', ''].includes(config.host);
    const listening = `http://${wildcard ? 'localhost' : config.host}:${port}`;
    let stopping: Promise<void> | undefined;
    const server = app;
    return {
      ctx,
      app: server,
      url: listening,
      seeded,
      stop() {
        stopping ??= (async () => {
          await server.close();
          await ctx.worker?.stop();
          if (ownsDatabase) await ctx.database.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await app?.close();
    await ctx.worker?.stop();
    if (ownsDatabase) await ctx.database.close();
    throw err;
  }
}
