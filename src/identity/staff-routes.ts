import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { actorFrom, authorize, sessionUser } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { ROLES, STAFF_ROLES } from '../db/schema.ts';
import { retryDeadJob } from '../jobs/queue.ts';
import { revokeAllSessions } from './sessions.ts';
import { createUser, publicCustomer, publicUser } from './users.ts';

const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const CustomersQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 100 })), limit: Limit, before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
const UsersQuery = Type.Object(
  { role: Type.Optional(Type.Union(ROLES.map((r) => Type.Literal(r)))), limit: Limit, before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
const CreateStaffBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
    locale: Type.Optional(Type.Union([Type.Literal('id'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(Type.Union(STAFF_ROLES.map((r) => Type.Literal(r)))),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    unlock: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const AuditQuery = Type.Object(
  {
    objectType: Type.Optional(Type.String({ maxLength: 64 })),
    objectId: Type.Optional(Type.String({ maxLength: 64 })),
    actorId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Limit,
    before: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
const JobsQuery = Type.Object(
  { status: Type.Optional(Type.Union(['pending', 'running', 'done', 'dead'].map((s) => Type.Literal(s)))), limit: Limit, before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);

/** Staff console endpoints. Every one needs a staff role and a session that passed 2FA. */
export async function registerStaffRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get('/staff/customers', { schema: { tags: ['staff'], summary: 'Customer accounts, newest first (cursor: before=id)', querystring: CustomersQuery }, onRequest: authorize({ roles: ['ops', 'finance', 'compliance', 'admin'] }) }, async (request) => {
    const q = request.query as Static<typeof CustomersQuery>;
    let query = db.selectFrom('customers').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.before) query = query.where('id', '<', q.before);
    if (q.q) query = query.where('name', 'ilike', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const rows = await query.execute();
    return { customers: rows.map(publicCustomer), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  app.get('/staff/users', { schema: { tags: ['staff'], summary: 'Users (admin)', querystring: UsersQuery }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const q = request.query as Static<typeof UsersQuery>;
    let query = db.selectFrom('users').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.role) query = query.where('role', '=', q.role);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return {
      users: rows.map((u) => ({ ...publicUser(u), lockedUntil: u.locked_until?.toISOString() ?? null })),
      nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    };
  });

  app.post('/staff/users', { schema: { tags: ['staff'], summary: 'Create a staff user (admin); they must set up 2FA at first login', body: CreateStaffBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request, reply) => {
    const body = request.body as Static<typeof CreateStaffBody>;
    const user = await db.transaction().execute((tx) =>
      createUser(tx, actorFrom(request), { email: body.email, name: body.name, password: body.password, role: body.role, ...(body.locale ? { locale: body.locale } : {}) }),
    );
    return reply.status(201).send({ user: publicUser(user) });
  });

  app.patch('/staff/users/:id', { schema: { tags: ['staff'], summary: 'Change a staff user\'s role or status, or unlock (admin)', params: IdParam, body: UpdateUserBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const body = request.body as Static<typeof UpdateUserBody>;
    const me = sessionUser(request).user;
    if (id === me.id && (body.role || body.status === 'disabled')) throw new AppError('conflict', 'Admins cannot change their own role or disable themselves.');
    const user = await db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current) throw new AppError('not_found');
      if (body.role && current.role === 'importer') throw new AppError('conflict', 'An importer cannot be given a staff role.');
      const row = await tx
        .updateTable('users')
        .set({
          ...(body.role ? { role: body.role } : {}),
          ...(body.status ? { status: body.status } : {}),
          ...(body.unlock ? { locked_until: null, failed_login_count: 0 } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // A role change or a disabled account takes effect now, not at the next login.
      if (body.role || body.status === 'disabled') await revokeAllSessions(tx, id);
      await recordAudit(tx, actorFrom(request), { action: 'user.admin_updated', objectType: 'user', objectId: id, data: { ...body, previousRole: current.role, previousStatus: current.status } });
      return row;
    });
    return { user: publicUser(user) };
  });

  app.get('/staff/audit', { schema: { tags: ['staff'], summary: 'Audit log, newest first (admin, compliance)', querystring: AuditQuery }, onRequest: authorize({ roles: ['admin', 'compliance'] }) }, async (request) => {
    const q = request.query as Static<typeof AuditQuery>;
    let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.objectType) query = query.where('object_type', '=', q.objectType);
    if (q.objectId) query = query.where('object_id', '=', q.objectId);
    if (q.actorId) query = query.where('actor_id', '=', q.actorId);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return {
      entries: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        ip: r.ip,
        requestId: r.request_id,
        data: r.data,
      })),
      nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    };
  });

  app.get('/staff/jobs', { schema: { tags: ['staff'], summary: 'Background jobs (admin)', querystring: JobsQuery }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const q = request.query as Static<typeof JobsQuery>;
    let query = db.selectFrom('jobs').select(['id', 'name', 'status', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at', 'completed_at']).orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as 'pending');
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return {
      jobs: rows.map((j) => ({
        id: j.id,
        name: j.name,
        status: j.status,
        attempts: j.attempts,
        maxAttempts: j.max_attempts,
        runAt: j.run_at.toISOString(),
        lastError: j.last_error?.split('\n')[0] ?? null,
        createdAt: j.created_at.toISOString(),
        completedAt: j.completed_at?.toISOString() ?? null,
      })),
      nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    };
  });

  app.post('/staff/jobs/:id/retry', { schema: { tags: ['staff'], summary: 'Put a dead-lettered job back in the queue (admin)', params: IdParam }, onRequest: authorize({ roles: ['admin'] }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const done = await db.transaction().execute(async (tx) => {
      const ok = await retryDeadJob(tx, id);
      if (ok) await recordAudit(tx, actorFrom(request), { action: 'job.retried', objectType: 'job', objectId: id });
      return ok;
    });
    if (!done) throw new AppError('not_found', 'No dead-lettered job with this id.');
    ctx.worker?.poke();
    return reply.status(202).send({ status: 'queued' });
  });
}
