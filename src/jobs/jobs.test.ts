import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { migrateToLatest } from '../db/database.ts';
import { backoffSeconds, claimJobs, enqueueDueSchedules, enqueueJob, upsertSchedule } from './queue.ts';
import { JobRegistry, Worker } from './worker.ts';

const silent = pino({ level: 'silent' });

describe('backoff', () => {
  it('grows exponentially with jitter and is capped at an hour', () => {
    expect(backoffSeconds(1, () => 0.5)).toBe(2);
    expect(backoffSeconds(3, () => 0.5)).toBe(8);
    expect(backoffSeconds(3, () => 0)).toBe(6);
    expect(backoffSeconds(3, () => 1)).toBe(10);
    expect(backoffSeconds(50, () => 0.5)).toBe(3600);
  });
});

describe.each(databaseTargets)('job queue on $name', (target) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await target.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await sql`delete from jobs; delete from job_schedules`.execute(database.db);
  });

  async function job(id: string) {
    return database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('runs a job enqueued in a committed transaction, and never one whose transaction rolled back', async () => {
    const seen: unknown[] = [];
    const registry = new JobRegistry().register('test.record', async (payload) => {
      seen.push(payload.n);
    });
    let committedId: string | undefined;
    await database.db.transaction().execute(async (tx) => {
      committedId = await enqueueJob(tx, 'test.record', { n: 1 });
    });
    await expect(
      database.db.transaction().execute(async (tx) => {
        await enqueueJob(tx, 'test.record', { n: 2 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    const worker = new Worker(database.db, registry, silent);
    expect(await worker.runOnce()).toBe(1);
    expect(seen).toEqual([1]);
    expect((await job(committedId!)).status).toBe('done');
  });

  it('retries a failing job with backoff, then dead-letters it', async () => {
    let calls = 0;
    const registry = new JobRegistry().register('test.flaky', async () => {
      calls += 1;
      throw new Error(`boom ${calls}`);
    });
    const id = (await enqueueJob(database.db, 'test.flaky', {}, { maxAttempts: 3 }))!;
    const worker = new Worker(database.db, registry, silent);

    expect(await worker.runOnce()).toBe(1);
    let row = await job(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toContain('boom 1');
    expect(row.run_at.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing runs.
    expect(await worker.runOnce()).toBe(0);

    for (const attempt of [2, 3]) {
      await sql`update jobs set run_at = now() where id = ${id}`.execute(database.db);
      expect(await worker.runOnce()).toBe(1);
      row = await job(id);
      expect(row.attempts).toBe(attempt);
    }
    expect(row.status).toBe('dead');
    expect(row.last_error).toContain('boom 3');
    await sql`update jobs set run_at = now() where id = ${id}`.execute(database.db);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toBe(3);
  });

  it('dead-letters a job nobody handles, after its attempts', async () => {
    const id = (await enqueueJob(database.db, 'test.unknown', {}, { maxAttempts: 1 }))!;
    await new Worker(database.db, new JobRegistry(), silent).runOnce();
    const row = await job(id);
    expect(row.status).toBe('dead');
    expect(row.last_error).toContain('No handler registered for job test.unknown');
  });

  it('enqueues a job only once per dedupe key', async () => {
    const a = await enqueueJob(database.db, 'test.x', {}, { dedupeKey: 'once' });
    const b = await enqueueJob(database.db, 'test.x', {}, { dedupeKey: 'once' });
    expect(a).toBeDefined();
    expect(b).toBeUndefined();
  });

  it('hands each job to exactly one of several concurrent claimers', async () => {
    for (let i = 0; i < 30; i++) await enqueueJob(database.db, 'test.bulk', { i });
    const claims = await Promise.all(['w1', 'w2', 'w3'].map((w) => claimJobs(database.db, w, 12, 300)));
    const ids = claims.flat().map((j) => j.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('reclaims a job whose worker died (lease expired)', async () => {
    const id = (await enqueueJob(database.db, 'test.lease', {}))!;
    const [claimed] = await claimJobs(database.db, 'dead-worker', 1, 300);
    expect(claimed?.id).toBe(id);
    expect(await claimJobs(database.db, 'other', 1, 300)).toHaveLength(0);
    await sql`update jobs set locked_at = now() - interval '10 minutes' where id = ${id}`.execute(database.db);
    const [reclaimed] = await claimJobs(database.db, 'other', 1, 300);
    expect(reclaimed).toMatchObject({ id, attempts: 2 });
  });

  it('turns a due schedule into one job per interval, however many workers tick', async () => {
    await upsertSchedule(database.db, { name: 'every-hour', jobName: 'test.scheduled', intervalSeconds: 3600 });
    await upsertSchedule(database.db, { name: 'every-hour', jobName: 'test.scheduled', intervalSeconds: 3600 });
    const ticks = await Promise.all([enqueueDueSchedules(database.db), enqueueDueSchedules(database.db), enqueueDueSchedules(database.db)]);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(1);
    const jobs = await database.db.selectFrom('jobs').select('name').execute();
    expect(jobs).toEqual([{ name: 'test.scheduled' }]);
    const schedule = await database.db.selectFrom('job_schedules').selectAll().executeTakeFirstOrThrow();
    expect(schedule.next_run_at.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(await enqueueDueSchedules(database.db)).toBe(0);
  });

  it('the worker loop picks up work and stops cleanly', async () => {
    const done: number[] = [];
    const registry = new JobRegistry().register('test.loop', async (payload) => {
      done.push(payload.n as number);
    });
    const worker = new Worker(database.db, registry, silent, { pollIntervalMs: 20 });
    await worker.start();
    try {
      for (let n = 0; n < 5; n++) await enqueueJob(database.db, 'test.loop', { n });
      worker.poke();
      const deadline = Date.now() + 10_000;
      while (done.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await worker.stop();
    }
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
