import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, assertAuthorized, assertCustomerAccess, authorize, sessionUser } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Session, User } from '../db/schema.ts';
import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey, type ApiKeyScope } from './api-keys.ts';
import { checkPasswordLogin } from './login.ts';
import { activateTotp, countUnusedRecoveryCodes, disableTotp, regenerateRecoveryCodes, startTotpEnrolment, verifySecondFactor } from './mfa.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.ts';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.ts';
import { createSession, revokeAllSessions, revokeSession, SESSION_COOKIE, upgradeSession, type NewSession } from './sessions.ts';
import { publicCustomer, publicUser, registerImporter } from './users.ts';
import { sql } from 'kysely';

const Email = Type.String({ format: 'email', maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const Locale = Type.Union([Type.Literal('id'), Type.Literal('en')]);
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
const MfaBody = Type.Object(
  { code: Type.Optional(Type.String({ maxLength: 12 })), recoveryCode: Type.Optional(Type.String({ maxLength: 32 })) },
  { additionalProperties: false },
);
const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Contact person' }),
    customerKind: Type.Union([Type.Literal('company'), Type.Literal('person')]),
    customerName: Type.String({ minLength: 1, maxLength: 200, description: 'Company name, or the person\'s name' }),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{6,20}$' })),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);
const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
const ResetConfirmBody = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password: Password }, { additionalProperties: false });
const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });
const UpdateAccountBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), locale: Type.Optional(Locale) },
  { additionalProperties: false, minProperties: 1 },
);
const CodeBody = Type.Object({ code: Type.String({ minLength: 6, maxLength: 12 }) }, { additionalProperties: false });
const DisableMfaBody = Type.Object({ password: Password, code: Type.String({ minLength: 6, maxLength: 12 }) }, { additionalProperties: false });
const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(Type.Union(API_KEY_SCOPES.map((s) => Type.Literal(s))), { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
const UpdateCustomerBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), phone: Type.Optional(Type.Union([Type.String({ pattern: '^\\+?[0-9 ()-]{6,20}$' }), Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);

export async function registerIdentityRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const secure = ctx.config.publicBaseUrl.startsWith('https://');

  function setSessionCookie(reply: FastifyReply, created: NewSession) {
    reply.setCookie(SESSION_COOKIE, created.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      expires: created.session.expires_at,
    });
  }

  async function sessionView(user: User, session: Session) {
    const customer = user.customer_id ? await db.selectFrom('customers').selectAll().where('id', '=', user.customer_id).executeTakeFirst() : undefined;
    return {
      user: publicUser(user),
      customer: customer ? publicCustomer(customer) : null,
      mfa: session.mfa_state,
      csrfToken: session.csrf_token,
      expiresAt: session.expires_at.toISOString(),
      recoveryCodesLeft: user.totp_enabled_at ? await countUnusedRecoveryCodes(db, user.id) : null,
    };
  }

  async function reloadUser(id: string): Promise<User> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  // ---- sign in / out ----------------------------------------------------------------

  app.post('/auth/register', { schema: { tags: ['auth'], summary: 'Register a customer account and its first importer user', body: RegisterBody } }, async (request, reply) => {
    const body = request.body as Static<typeof RegisterBody>;
    const actor = actorFrom(request);
    const { user } = await registerImporter(db, actor, {
      kind: body.customerKind,
      name: body.customerName,
      phone: body.phone ?? null,
      email: body.email,
      password: body.password,
      contactName: body.name,
      ...(body.locale ? { locale: body.locale } : {}),
    });
    const created = await createSession(db, user.id, 'complete', ctx.config.sessionTtlHours, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    setSessionCookie(reply, created);
    return reply.status(201).send(await sessionView(user, created.session));
  });

  app.post('/auth/login', { schema: { tags: ['auth'], summary: 'Sign in with e-mail and password', body: LoginBody } }, async (request, reply) => {
    const body = request.body as Static<typeof LoginBody>;
    const actor = actorFrom(request);
    const { user, mfaState } = await checkPasswordLogin(db, actor, body.email, body.password);
    const created = await createSession(db, user.id, mfaState, ctx.config.sessionTtlHours, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    await recordAudit(db, { ...actor, type: 'user', id: user.id }, { action: 'auth.login', objectType: 'session', objectId: created.session.id, data: { mfa: mfaState } });
    setSessionCookie(reply, created);
    return sessionView(user, created.session);
  });

  app.post('/auth/login/mfa', { schema: { tags: ['auth'], summary: 'Second step of sign-in: TOTP or recovery code', body: MfaBody } }, async (request, reply) => {
    const body = request.body as Static<typeof MfaBody>;
    assertAuthorized(request, { allowIncompleteMfa: true });
    const { user, session } = sessionUser(request);
    if (session.mfa_state !== 'pending') throw new AppError('conflict', 'This session is not waiting for a second factor.');
    const actor = actorFrom(request);
    await verifySecondFactor(db, ctx.secrets, actor, user, body);
    const upgraded = await upgradeSession(db, session.id, 'complete');
    await recordAudit(db, actor, { action: 'auth.mfa_passed', objectType: 'session', objectId: session.id, data: { method: body.code ? 'totp' : 'recovery_code' } });
    setSessionCookie(reply, upgraded);
    return sessionView(await reloadUser(user.id), upgraded.session);
  });

  app.get('/auth/session', { schema: { tags: ['auth'], summary: 'The current session, user and CSRF token' } }, async (request) => {
    assertAuthorized(request, { allowIncompleteMfa: true });
    const { user, session } = sessionUser(request);
    return sessionView(user, session);
  });

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out this session' } }, async (request, reply) => {
    assertAuthorized(request, { allowIncompleteMfa: true });
    const { session } = sessionUser(request);
    await revokeSession(db, session.id);
    await recordAudit(db, actorFrom(request), { action: 'auth.logout', objectType: 'session', objectId: session.id });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.post('/auth/logout-all', { schema: { tags: ['auth'], summary: 'Sign out every session of this user, everywhere' } }, async (request, reply) => {
    assertAuthorized(request);
    const { user } = sessionUser(request);
    const count = await revokeAllSessions(db, user.id);
    await recordAudit(db, actorFrom(request), { action: 'auth.logout_all', objectType: 'user', objectId: user.id, data: { sessions: count } });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.post('/auth/password-reset/request', { schema: { tags: ['auth'], summary: 'E-mail a password reset link (always 202)', body: ResetRequestBody } }, async (request, reply) => {
    const body = request.body as Static<typeof ResetRequestBody>;
    await requestPasswordReset(db, actorFrom(request), body.email, ctx.config.publicBaseUrl);
    ctx.worker?.poke();
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/auth/password-reset/confirm', { schema: { tags: ['auth'], summary: 'Set a new password with a reset token', body: ResetConfirmBody } }, async (request, reply) => {
    const body = request.body as Static<typeof ResetConfirmBody>;
    await confirmPasswordReset(db, actorFrom(request), body.token, body.password);
    return reply.status(204).send();
  });

  // ---- own account --------------------------------------------------------------------

  app.patch('/account', { schema: { tags: ['account'], summary: 'Change own name or language', body: UpdateAccountBody } }, async (request) => {
    assertAuthorized(request);
    const { user, session } = sessionUser(request);
    const body = request.body as Static<typeof UpdateAccountBody>;
    const updated = await db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('users')
        .set({ ...(body.name ? { name: body.name.trim() } : {}), ...(body.locale ? { locale: body.locale } : {}), updated_at: sql<Date>`now()` })
        .where('id', '=', user.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actorFrom(request), { action: 'user.updated', objectType: 'user', objectId: user.id, data: body });
      return row;
    });
    return sessionView(updated, session);
  });

  app.post('/account/password', { schema: { tags: ['account'], summary: 'Change password; ends every other session', body: ChangePasswordBody } }, async (request, reply) => {
    assertAuthorized(request);
    const { user, session } = sessionUser(request);
    const body = request.body as Static<typeof ChangePasswordBody>;
    if (!(await verifyPassword(user.password_hash, body.currentPassword))) throw new AppError('wrong_password');
    assertStrongPassword(body.newPassword);
    const hash = await hashPassword(body.newPassword);
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('users').set({ password_hash: hash, password_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('id', '=', user.id).execute();
      await revokeAllSessions(tx, user.id, session.id);
      await recordAudit(tx, actorFrom(request), { action: 'user.password_changed', objectType: 'user', objectId: user.id });
    });
    return reply.status(204).send();
  });

  app.get('/account/sessions', { schema: { tags: ['account'], summary: 'Own active sessions' } }, async (request) => {
    assertAuthorized(request);
    const { user, session } = sessionUser(request);
    const rows = await db
      .selectFrom('sessions')
      .select(['id', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('last_seen_at', 'desc')
      .execute();
    return {
      sessions: rows.map((s) => ({
        id: s.id,
        ip: s.ip,
        userAgent: s.user_agent,
        createdAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        expiresAt: s.expires_at.toISOString(),
        current: s.id === session.id,
      })),
    };
  });

  app.post('/account/2fa/enrol', { schema: { tags: ['account'], summary: 'Start TOTP enrolment: secret and QR code' } }, async (request) => {
    assertAuthorized(request, { allowIncompleteMfa: true });
    const { user, session } = sessionUser(request);
    if (session.mfa_state === 'pending') throw new AppError('mfa_required');
    return startTotpEnrolment(db, ctx.secrets, actorFrom(request), user);
  });

  app.post('/account/2fa/activate', { schema: { tags: ['account'], summary: 'Confirm TOTP enrolment with a code; returns recovery codes once', body: CodeBody } }, async (request, reply) => {
    assertAuthorized(request, { allowIncompleteMfa: true });
    const { user, session } = sessionUser(request);
    if (session.mfa_state === 'pending') throw new AppError('mfa_required');
    const body = request.body as Static<typeof CodeBody>;
    const recoveryCodes = await activateTotp(db, ctx.secrets, actorFrom(request), user, body.code);
    const upgraded = await upgradeSession(db, session.id, 'complete');
    setSessionCookie(reply, upgraded);
    return { recoveryCodes, session: await sessionView(await reloadUser(user.id), upgraded.session) };
  });

  app.post('/account/2fa/recovery-codes', { schema: { tags: ['account'], summary: 'Replace recovery codes (needs a current TOTP code)', body: CodeBody } }, async (request) => {
    assertAuthorized(request);
    const { user } = sessionUser(request);
    const body = request.body as Static<typeof CodeBody>;
    return { recoveryCodes: await regenerateRecoveryCodes(db, ctx.secrets, actorFrom(request), user, body.code) };
  });

  app.post('/account/2fa/disable', { schema: { tags: ['account'], summary: 'Turn 2FA off (importers only)', body: DisableMfaBody } }, async (request, reply) => {
    assertAuthorized(request);
    const { user } = sessionUser(request);
    const body = request.body as Static<typeof DisableMfaBody>;
    await disableTotp(db, ctx.secrets, actorFrom(request), user, body.password, body.code);
    return reply.status(204).send();
  });

  // ---- API keys (importers, for their customer account) ------------------------------

  app.get('/api-keys', { schema: { tags: ['api keys'], summary: 'API keys of the own customer account' } }, async (request) => {
    assertAuthorized(request, { roles: ['importer'] });
    const { user } = sessionUser(request);
    return { apiKeys: await listApiKeys(db, user.customer_id!) };
  });

  app.post('/api-keys', { schema: { tags: ['api keys'], summary: 'Create an API key; the key is shown only in this response', body: CreateApiKeyBody } }, async (request, reply) => {
    assertAuthorized(request, { roles: ['importer'] });
    const { user } = sessionUser(request);
    const body = request.body as Static<typeof CreateApiKeyBody>;
    const created = await createApiKey(db, actorFrom(request), user.customer_id!, user.id, body.name, body.scopes as ApiKeyScope[]);
    return reply.status(201).send(created);
  });

  app.delete('/api-keys/:id', { schema: { tags: ['api keys'], summary: 'Revoke an API key', params: IdParam } }, async (request, reply) => {
    assertAuthorized(request, { roles: ['importer'] });
    const { user } = sessionUser(request);
    const { id } = request.params as Static<typeof IdParam>;
    await revokeApiKey(db, actorFrom(request), user.customer_id!, id);
    return reply.status(204).send();
  });

  // ---- customer accounts -------------------------------------------------------------

  const customerReaders = ['importer', 'ops', 'finance', 'compliance', 'admin'] as const;

  app.get('/customers/:id', { schema: { tags: ['customers'], summary: 'A customer account (own, or any for staff)', params: IdParam, security: [{ session: [] }, { apiKey: [] }] } }, async (request) => {
    assertAuthorized(request, { roles: customerReaders, apiKeyScope: 'account:read' });
    const { id } = request.params as Static<typeof IdParam>;
    assertCustomerAccess(request, id);
    const customer = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!customer) throw new AppError('not_found');
    const users = await db.selectFrom('users').selectAll().where('customer_id', '=', id).orderBy('created_at').execute();
    return { customer: publicCustomer(customer), users: users.map(publicUser) };
  });

  app.patch('/customers/:id', { schema: { tags: ['customers'], summary: 'Update a customer account (own, or admin)', params: IdParam, body: UpdateCustomerBody } }, async (request) => {
    assertAuthorized(request, { roles: ['importer', 'admin'] });
    const { id } = request.params as Static<typeof IdParam>;
    assertCustomerAccess(request, id);
    const body = request.body as Static<typeof UpdateCustomerBody>;
    const customer = await db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('customers')
        .set({ ...(body.name ? { name: body.name.trim() } : {}), ...(body.phone !== undefined ? { phone: body.phone } : {}), updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AppError('not_found');
      await recordAudit(tx, actorFrom(request), { action: 'customer.updated', objectType: 'customer', objectId: id, data: body });
      return row;
    });
    return { customer: publicCustomer(customer) };
  });

  app.get('/v1/account', { schema: { tags: ['public api'], summary: 'The customer account an API key belongs to', security: [{ apiKey: [] }] } }, async (request) => {
    const principal = assertAuthorized(request, { roles: ['importer'], apiKeyScope: 'account:read' });
    const customerId = principal.kind === 'api_key' ? principal.apiKey.customerId : principal.user.customer_id!;
    const customer = await db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
    return { customer: publicCustomer(customer) };
  });
}

export { authorize };
