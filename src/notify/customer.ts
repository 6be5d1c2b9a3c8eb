import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { notifyInApp } from './in-app.ts';
import { SEND_MAIL_JOB } from './mailer.ts';

export interface CustomerNotice {
  customerId: string;
  kind: string;
  title: { id: string; en: string };
  body: { id: string; en: string };
  object?: { type: string; id: string };
  /** The same event twice is one notification and one mail per user. */
  dedupeKey: string;
}

/**
 * Tells every active user of a customer account: the portal's list and an e-mail in each
 * user's language. Both are written in the caller's transaction (the outbox), so nothing is
 * announced that did not commit.
 */
export async function notifyCustomer(db: Kysely<DB>, n: CustomerNotice): Promise<void> {
  await notifyInApp(db, { customerId: n.customerId, kind: n.kind, title: n.title, ...(n.object ? { object: n.object } : {}), dedupeKey: n.dedupeKey });
  const users = await db.selectFrom('users').select(['email', 'locale']).where('customer_id', '=', n.customerId).where('status', '=', 'active').execute();
  for (const u of users) {
    await enqueueJob(db, SEND_MAIL_JOB, { to: u.email, subject: n.title[u.locale], text: n.body[u.locale] }, { dedupeKey: `${n.dedupeKey}:${u.email}` });
  }
}
