import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';

export interface InAppNotice {
  customerId: string;
  kind: string;
  title: { id: string; en: string };
  object?: { type: string; id: string };
  /** The same event twice (a retried job) is one notification. */
  dedupeKey: string;
}

/** Writes what the portal's notification list shows; called by the same outbox jobs that send mail. */
export async function notifyInApp(db: Kysely<DB>, n: InAppNotice): Promise<void> {
  await db
    .insertInto('notifications')
    .values({ id: newId('notification'), customer_id: n.customerId, kind: n.kind, title_id: n.title.id, title_en: n.title.en, object_type: n.object?.type ?? null, object_id: n.object?.id ?? null, dedupe_key: n.dedupeKey })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export async function listNotifications(db: Kysely<DB>, customerId: string, limit: number) {
  const rows = await db.selectFrom('notifications').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  const unread = await db.selectFrom('notifications').select(sql<string>`count(*)`.as('n')).where('customer_id', '=', customerId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return {
    unread: Number(unread.n),
    notifications: rows.map((r) => ({ id: r.id, kind: r.kind, title: { id: r.title_id, en: r.title_en }, object: r.object_type ? { type: r.object_type, id: r.object_id } : null, read: r.read_at !== null, createdAt: r.created_at.toISOString() })),
  };
}

export async function markNotificationsRead(db: Kysely<DB>, customerId: string, ids: string[] | 'all'): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('customer_id', '=', customerId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : ['']);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
