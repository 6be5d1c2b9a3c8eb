import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { randomToken, sha256 } from '../lib/tokens.ts';

/** Scopes an importer can grant a key; later modules add theirs here. */
export const API_KEY_SCOPES = ['account:read', 'payments:read', 'payments:write', 'wallet:read', 'deposits:write', 'parcels:read', 'parcels:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_PREFIX = 'jbt_';

export function publicApiKey(k: { id: string; name: string; prefix: string; scopes: string[]; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at?.toISOString() ?? null,
    revokedAt: k.revoked_at?.toISOString() ?? null,
  };
}

/** Creates a key for a customer account. The full key is returned once and stored only as a hash. */
export async function createApiKey(db: Kysely<DB>, actor: Actor, customerId: string, userId: string, name: string, scopes: ApiKeyScope[]) {
  const secret = `${API_KEY_PREFIX}${randomToken(30)}`;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_keys')
      .values({
        id: newId('apiKey'),
        customer_id: customerId,
        created_by_user_id: userId,
        name: name.trim(),
        prefix: secret.slice(0, 12),
        key_hash: sha256(secret),
        scopes: JSON.stringify([...new Set(scopes)].sort()),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, { action: 'api_key.created', objectType: 'api_key', objectId: row.id, data: { customerId, name: row.name, scopes: row.scopes } });
    return { key: secret, apiKey: publicApiKey(row) };
  });
}

export async function listApiKeys(db: Kysely<DB>, customerId: string) {
  const rows = await db.selectFrom('api_keys').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').execute();
  return rows.map(publicApiKey);
}

export async function revokeApiKey(db: Kysely<DB>, actor: Actor, customerId: string, keyId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('api_keys')
      .set({ revoked_at: sql<Date>`now()` })
      .where('id', '=', keyId)
      .where('customer_id', '=', customerId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    // Another customer's key id gets the same answer as a missing one.
    if (r.numUpdatedRows === 0n) throw new AppError('not_found', 'No active API key with this id.');
    await recordAudit(tx, actor, { action: 'api_key.revoked', objectType: 'api_key', objectId: keyId });
  });
}

export interface ApiKeyPrincipal {
  keyId: string;
  customerId: string;
  scopes: string[];
}

export async function authenticateApiKey(db: Kysely<DB>, secret: string): Promise<ApiKeyPrincipal | undefined> {
  if (!secret.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('customers', 'customers.id', 'api_keys.customer_id')
    .select(['api_keys.id', 'api_keys.customer_id', 'api_keys.scopes', 'customers.status'])
    .where('api_keys.key_hash', '=', sha256(secret))
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.status !== 'active') return undefined;
  await db.updateTable('api_keys').set({ last_used_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
  return { keyId: row.id, customerId: row.customer_id, scopes: row.scopes };
}
