import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { sha256 } from '../lib/tokens.ts';
import type { AppContext } from './context.ts';
import { AppError } from './errors.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { principal: string; key: string } | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETAIN_HOURS = 24;
/** A request still "in progress" after this long died with its process; its key may be used again. */
const ABANDONED_AFTER_SECONDS = 120;
const SECRET_BEARING = ['/api/auth/', '/api/account/', '/api/api-keys'];
/** Answers that depend on who is asking, not on the request: not replayed. */
const NOT_STORED = new Set([401, 403, 429]);

/**
 * `Idempotency-Key` on any write: the first request's answer is stored and replayed for
 * retries with the same key and the same request; the same key with a different request is
 * a conflict; concurrent retries see "in progress" instead of running twice. Money-moving
 * use cases are idempotent in the ledger as well; this is the HTTP-level guarantee.
 */
export function installIdempotency(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.decorateRequest('idempotency', null);

  async function claim(request: FastifyRequest, reply: FastifyReply, key: string | string[]): Promise<unknown> {
    // Answers that carry secrets (sessions, 2FA secrets, recovery codes, API keys) are never
    // stored; retrying those requests is safe or refused by the use case itself.
    if (SECRET_BEARING.some((prefix) => request.url.startsWith(prefix))) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1–255 visible ASCII characters.');
    }
    const principal = principalOf(request);
    const requestHash = sha256(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);

    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ principal, key, request_hash: requestHash, status: 'in_progress', expires_at: sql<Date>`now() + make_interval(hours => ${RETAIN_HOURS})` })
        .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) {
        request.idempotency = { principal, key };
        return;
      }
      const existing = await db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status', 'response_status', 'response_body', sql<boolean>`expires_at < now()`.as('expired'), sql<boolean>`created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`.as('abandoned')])
        .where('principal', '=', principal)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!existing) continue;
      if (existing.expired || (existing.status === 'in_progress' && existing.abandoned)) {
        // Only the stale row: a concurrent retry may already have replaced it with a live one.
        await db
          .deleteFrom('idempotency_keys')
          .where('principal', '=', principal)
          .where('key', '=', key)
          .where((eb) => eb.or([eb('expires_at', '<', sql<Date>`now()`), eb.and([eb('status', '=', 'in_progress'), eb('created_at', '<', sql<Date>`now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`)])]))
          .execute();
        continue;
      }
      if (existing.request_hash !== requestHash) throw new AppError('idempotency_conflict');
      if (existing.status === 'in_progress') throw new AppError('idempotency_in_progress');
      const status = existing.response_status ?? 200;
      reply.header('idempotent-replayed', 'true');
      if (status >= 400) reply.type(PROBLEM_CONTENT_TYPE);
      return reply.status(status).send(existing.response_body);
    }
    throw new AppError('idempotency_in_progress');
  }

  // Callback hooks, so that a request without an Idempotency-Key (reads, public quotes) passes
  // both at once, without a promise; any write that carries a key goes through claim().
  app.addHook('preHandler', (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || SAFE_METHODS.has(request.method)) return done();
    claim(request, reply, key).then((sent) => {
      // A replayed answer has been sent; otherwise the route runs.
      if (sent !== reply) done();
    }, done);
  });

  async function record(reply: FastifyReply, idem: { principal: string; key: string }, payload: unknown): Promise<unknown> {
    const where = db.deleteFrom('idempotency_keys').where('principal', '=', idem.principal).where('key', '=', idem.key);
    if (reply.statusCode >= 500 || NOT_STORED.has(reply.statusCode)) {
      await where.execute();
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string' && payload.length > 0) {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await db
      .updateTable('idempotency_keys')
      .set({ status: 'completed', response_status: reply.statusCode, response_body: JSON.stringify(body) })
      .where('principal', '=', idem.principal)
      .where('key', '=', idem.key)
      .execute();
    return payload;
  }

  app.addHook('onSend', (request, reply, payload, done) => {
    const idem = request.idempotency;
    if (!idem) return done(null, payload);
    request.idempotency = null;
    record(reply, idem, payload).then((p) => done(null, p), done);
  });
}

/**
 * Keys are scoped to the session or API key that sent them: a stored answer is replayed
 * only to the same credential, which already passed its checks when the key was first used.
 */
function principalOf(request: FastifyRequest): string {
  const p = request.principal;
  if (p?.kind === 'api_key') return `key:${p.apiKey.keyId}`;
  if (p?.kind === 'session') return `session:${p.session.id}:${p.session.mfa_state}`;
  return `anonymous:${request.ip}`;
}
