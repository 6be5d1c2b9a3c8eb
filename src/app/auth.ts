import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit.ts';
import type { Role, Session, User } from '../db/schema.ts';
import { authenticateApiKey, type ApiKeyPrincipal, type ApiKeyScope } from '../identity/api-keys.ts';
import { findSessionByToken, SESSION_COOKIE, touchSession } from '../identity/sessions.ts';
import { constantTimeEqual } from '../lib/tokens.ts';
import type { AppContext } from './context.ts';
import { AppError } from './errors.ts';

export type Principal =
  | { kind: 'session'; user: User; session: Session }
  | { kind: 'api_key'; apiKey: ApiKeyPrincipal };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes that do not act with the session's authority (they start one), so need no CSRF token. */
const CSRF_EXEMPT = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/password-reset/request', '/api/auth/password-reset/confirm']);
const TOUCH_AFTER_MS = 5 * 60_000;
/**
 * The API is closed by default: without a session or an API key only these answer (the public
 * price pages and calculators, signing in and up, password reset, gateway callbacks that carry
 * their own token). Every other route also checks roles itself; this makes a forgotten check
 * fail closed, before the body is even read.
 */
const OPEN_PATHS = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/password-reset/request', '/api/auth/password-reset/confirm', '/api/auth/session', '/api/quotes', '/api/costing/landed-cost']);
const OPEN_PREFIXES = ['/api/public/', '/api/gateway/'];
const isOpen = (path: string) => OPEN_PATHS.has(path) || OPEN_PREFIXES.some((p) => path.startsWith(p));

/**
 * Works out who is calling (session cookie or API key) and enforces CSRF on writes made
 * with a cookie. Authorisation itself is per route, with `authorize`.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  const db = ctx.database.db;

  async function identify(request: FastifyRequest, authorization: string | undefined, token: string | undefined): Promise<void> {
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const apiKey = match?.[1] ? await authenticateApiKey(db, match[1]) : undefined;
      if (!apiKey) throw new AppError('invalid_api_key');
      request.principal = { kind: 'api_key', apiKey };
      return;
    }
    const resolved = await findSessionByToken(db, token!);
    if (!resolved) return;
    request.principal = { kind: 'session', ...resolved };
    if (!SAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(request.url.split('?')[0]!)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !constantTimeEqual(sent, resolved.session.csrf_token)) throw new AppError('csrf_failed');
    }
    if (Date.now() - resolved.session.last_seen_at.getTime() > TOUCH_AFTER_MS) await touchSession(db, resolved.session.id);
  }

  // A callback hook, so that a request with neither an Authorization header nor a session
  // cookie (public pages, the price calculator) is decided at once, without a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/api/')) return done();
    const authorization = request.headers.authorization;
    if (!authorization && !SAFE_METHODS.has(request.method)) assertSameOrigin(request);
    const token = authorization ? undefined : request.cookies[SESSION_COOKIE];
    // Closed by default: nobody signed in reaches anything but the open routes.
    const refuseAnonymous = () => (request.principal || isOpen(request.url.split('?')[0]!) ? undefined : new AppError('unauthenticated'));
    if (!authorization && !token) return done(refuseAnonymous());
    identify(request, authorization, token).then(() => done(refuseAnonymous()), done);
  });
}

/** A browser write must come from our own origin when it says where it comes from. */
function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('csrf_failed', 'Unreadable Origin header.');
  }
  if (host !== request.headers.host) throw new AppError('csrf_failed', 'Cross-origin request refused.');
}

export interface AuthorizeOptions {
  /** Roles allowed; absent = any signed-in user. */
  roles?: readonly Role[];
  /** The scope an API key needs for this route; absent = route not open to API keys. */
  apiKeyScope?: ApiKeyScope;
  /** For the login/enrolment steps that a half-signed-in session may take. */
  allowIncompleteMfa?: boolean;
}

/** Route guard: `preHandler: authorize({ roles: ['admin'] })`. */
export function authorize(options: AuthorizeOptions = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    assertAuthorized(request, options);
  };
}

export function assertAuthorized(request: FastifyRequest, options: AuthorizeOptions = {}): Principal {
  const principal = request.principal;
  if (!principal) throw new AppError('unauthenticated');
  if (principal.kind === 'api_key') {
    if (!options.apiKeyScope) throw new AppError('forbidden', 'This endpoint cannot be used with an API key.');
    if (!principal.apiKey.scopes.includes(options.apiKeyScope)) throw new AppError('insufficient_scope', `Needs scope ${options.apiKeyScope}.`);
    if (options.roles && !options.roles.includes('importer')) throw new AppError('forbidden');
    return principal;
  }
  if (principal.session.mfa_state !== 'complete' && !options.allowIncompleteMfa) {
    throw new AppError(principal.session.mfa_state === 'enrolment_required' ? 'mfa_enrolment_required' : 'mfa_required');
  }
  // Staff without 2FA never pass, whatever their session says (e.g. after a role change).
  if (principal.user.role !== 'importer' && !principal.user.totp_enabled_at && !options.allowIncompleteMfa) {
    throw new AppError('mfa_enrolment_required');
  }
  if (options.roles && !options.roles.includes(principal.user.role)) throw new AppError('forbidden');
  return principal;
}

/** The signed-in user of a cookie session (routes that API keys cannot use). */
export function sessionUser(request: FastifyRequest): { user: User; session: Session } {
  const p = request.principal;
  if (!p || p.kind !== 'session') throw new AppError('unauthenticated');
  return { user: p.user, session: p.session };
}

/** The customer account whose data the caller may see; null for staff (who see all). */
export function customerScope(request: FastifyRequest): string | null {
  const p = request.principal;
  if (!p) throw new AppError('unauthenticated');
  if (p.kind === 'api_key') return p.apiKey.customerId;
  return p.user.role === 'importer' ? p.user.customer_id : null;
}

/**
 * Refuses access to another customer's object. The answer is 404, as for a missing
 * object, so ids of other customers cannot be probed.
 */
export function assertCustomerAccess(request: FastifyRequest, ownerCustomerId: string | null | undefined): void {
  const scope = customerScope(request);
  if (scope !== null && scope !== ownerCustomerId) throw new AppError('not_found');
}

export function actorFrom(request: FastifyRequest): Actor {
  const p = request.principal;
  const base = { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null, requestId: request.id };
  if (!p) return { type: 'system', id: null, ...base };
  if (p.kind === 'api_key') return { type: 'api_key', id: p.apiKey.keyId, ...base };
  return { type: 'user', id: p.user.id, ...base };
}
