import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';

/** Who is acting, and from where: carried from the request into every use case. */
export interface Actor {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export const systemActor: Actor = { type: 'system', id: null };

export interface AuditEvent {
  action: string;
  objectType: string;
  objectId: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends to the audit log. Call it inside the same transaction as the change it
 * records, so the log never claims something that did not commit (nor misses it).
 */
export async function recordAudit(db: Kysely<DB>, actor: Actor, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId('audit'),
      actor_type: actor.type,
      actor_id: actor.id,
      action: event.action,
      object_type: event.objectType,
      object_id: event.objectId,
      ip: actor.ip ?? null,
      user_agent: actor.userAgent ?? null,
      request_id: actor.requestId ?? null,
      data: JSON.stringify(event.data ?? {}),
    })
    .execute();
}
