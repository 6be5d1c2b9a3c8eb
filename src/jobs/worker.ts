import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';
import { randomToken } from '../lib/tokens.ts';
import { claimJobs, completeJob, enqueueDueSchedules, failJob, upsertSchedule, type ClaimedJob, type ScheduleDefinition } from './queue.ts';

export interface JobContext {
  db: Kysely<DB>;
  logger: Logger;
  job: ClaimedJob;
}

export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>;

/**
 * The one registry that every module adds its job handlers and schedules to. The same
 * registry drives the in-process worker (PGlite) and `jembatan worker` (PostgreSQL).
 */
export class JobRegistry {
  readonly handlers = new Map<string, JobHandler>();
  readonly schedules: ScheduleDefinition[] = [];

  register(name: string, handler: JobHandler): this {
    if (this.handlers.has(name)) throw new Error(`Job ${name} is registered twice`);
    this.handlers.set(name, handler);
    return this;
  }

  schedule(definition: ScheduleDefinition): this {
    this.schedules.push(definition);
    return this;
  }
}

export interface WorkerOptions {
  pollIntervalMs?: number;
  batchSize?: number;
  leaseSeconds?: number;
}

export class Worker {
  readonly id = `${os.hostname()}:${process.pid}:${randomToken(4)}`;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly leaseSeconds: number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly registry: JobRegistry,
    private readonly logger: Logger,
    options: WorkerOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 5;
    this.leaseSeconds = options.leaseSeconds ?? 300;
  }

  async start(): Promise<void> {
    if (this.running) return;
    for (const s of this.registry.schedules) await upsertSchedule(this.db, s);
    this.running = true;
    this.loop = this.run();
    this.logger.info({ worker: this.id, jobs: [...this.registry.handlers.keys()] }, 'worker started');
  }

  /** Asks the loop to look for work now instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  /** Finishes the jobs in hand, then stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    this.logger.info({ worker: this.id }, 'worker stopped');
  }

  /** One pass: enqueue due schedules, run due jobs. Returns how many jobs ran. */
  async runOnce(): Promise<number> {
    await enqueueDueSchedules(this.db);
    const jobs = await claimJobs(this.db, this.id, this.batchSize, this.leaseSeconds);
    for (const job of jobs) await this.execute(job);
    return jobs.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let ran = 0;
      try {
        ran = await this.runOnce();
      } catch (err) {
        this.logger.error({ err }, 'worker pass failed');
      }
      if (ran === 0 && this.running) await this.sleep(this.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.registry.handlers.get(job.name);
    const log = this.logger.child({ job: job.id, jobName: job.name, attempt: job.attempts });
    try {
      if (!handler) throw new Error(`No handler registered for job ${job.name}`);
      await handler(job.payload, { db: this.db, logger: log, job });
      await completeJob(this.db, job.id, this.id);
    } catch (err) {
      const outcome = await failJob(this.db, job, this.id, err);
      if (outcome === 'dead') log.error({ err }, 'job failed for the last time: dead-lettered');
      else log.warn({ err }, 'job failed; will retry');
    }
  }
}
