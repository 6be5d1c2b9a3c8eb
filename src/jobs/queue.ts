import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';

const sqlNow = () => sql<Date>`now()`;

export interface EnqueueOptions {
  /** When to run first (default: now). */
  runAt?: Date;
  maxAttempts?: number;
  /** At most one job with this key ever exists; a second enqueue is a no-op. */
  dedupeKey?: string;
}

/**
 * Puts a job in the outbox. Pass the transaction that makes the change causing it: the
 * job then exists if and only if the change committed.
 */
export async function enqueueJob(
  db: Kysely<DB>,
  name: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<string | undefined> {
  const id = newId('job');
  const inserted = await db
    .insertInto('jobs')
    .values({
      id,
      name,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? sqlNow(),
      max_attempts: options.maxAttempts ?? 10,
      dedupe_key: options.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export interface ClaimedJob {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/**
 * Claims up to `limit` due jobs for this worker. `FOR UPDATE SKIP LOCKED` lets several
 * workers on one PostgreSQL server share the queue without taking the same job; a job
 * whose worker died (lease expired) is claimed again.
 */
export async function claimJobs(db: Kysely<DB>, workerId: string, limit: number, leaseSeconds: number): Promise<ClaimedJob[]> {
  const result = await sql<ClaimedJob>`
    update jobs set status = 'running', locked_at = now(), locked_by = ${workerId},
      attempts = attempts + 1, updated_at = now()
    where id in (
      select id from jobs
      where (status = 'pending' and run_at <= now())
         or (status = 'running' and locked_at < now() - make_interval(secs => ${leaseSeconds}))
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, name, payload, attempts, max_attempts`.execute(db);
  return result.rows;
}

export async function completeJob(db: Kysely<DB>, id: string, workerId: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', completed_at: sqlNow(), locked_at: null, locked_by: null, last_error: null, updated_at: sqlNow() })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Exponential backoff with jitter: ~2s, 4s, 8s … capped at one hour. */
export function backoffSeconds(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(3600, 2 ** Math.min(attempts, 12));
  return Math.round(base * (0.75 + random() * 0.5));
}

export async function failJob(db: Kysely<DB>, job: ClaimedJob, workerId: string, error: unknown): Promise<'retry' | 'dead'> {
  const message = (error instanceof Error ? error.stack ?? error.message : String(error)).slice(0, 4000);
  const dead = job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set({
      status: dead ? 'dead' : 'pending',
      last_error: message,
      locked_at: null,
      locked_by: null,
      run_at: dead ? sql<Date>`run_at` : sql<Date>`now() + make_interval(secs => ${backoffSeconds(job.attempts)})`,
      updated_at: sqlNow(),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
  return dead ? 'dead' : 'retry';
}

/** Puts a dead-lettered job back in the queue (an operator's decision, after a fix). */
export async function retryDeadJob(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'pending', attempts: 0, run_at: sqlNow(), updated_at: sqlNow() })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export interface ScheduleDefinition {
  /** Unique schedule name. */
  name: string;
  jobName: string;
  intervalSeconds: number;
}

/** Registers (or updates) a recurring job; idempotent, safe to call at every start. */
export async function upsertSchedule(db: Kysely<DB>, schedule: ScheduleDefinition): Promise<void> {
  await db
    .insertInto('job_schedules')
    .values({
      name: schedule.name,
      job_name: schedule.jobName,
      interval_seconds: schedule.intervalSeconds,
      next_run_at: sqlNow(),
    })
    .onConflict((oc) => oc.column('name').doUpdateSet({ job_name: schedule.jobName, interval_seconds: schedule.intervalSeconds }))
    .execute();
}

/**
 * Turns due schedules into jobs. The schedule row is locked with SKIP LOCKED and advanced
 * in the same transaction as the enqueue, so with many workers each tick runs once.
 */
export async function enqueueDueSchedules(db: Kysely<DB>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const due = await sql<{ name: string; job_name: string; interval_seconds: number; next_run_at: Date }>`
      select name, job_name, interval_seconds, next_run_at from job_schedules
      where next_run_at <= now()
      for update skip locked`.execute(tx);
    for (const s of due.rows) {
      await enqueueJob(tx, s.job_name, { schedule: s.name }, { dedupeKey: `schedule:${s.name}:${s.next_run_at.toISOString()}` });
      await sql`
        update job_schedules set last_run_at = now(),
          next_run_at = greatest(next_run_at + make_interval(secs => ${s.interval_seconds}), now())
        where name = ${s.name}`.execute(tx);
    }
    return due.rows.length;
  });
}
