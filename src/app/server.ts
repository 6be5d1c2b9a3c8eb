import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pingDatabase } from '../db/database.ts';
import { registerIdentityRoutes } from '../identity/routes.ts';
import { registerStaffRoutes } from '../identity/staff-routes.ts';
import { registerLedgerRoutes } from '../ledger/routes.ts';
import { registerFxRoutes } from '../fx/routes.ts';
import { registerCostingRoutes } from '../costing/routes.ts';
import { registerFundingRoutes } from '../funding/routes.ts';
import { registerFundingStaffRoutes } from '../funding/staff-routes.ts';
import { registerPaymentRoutes, registerVerificationPage } from '../payments/routes.ts';
import { registerPaymentStaffRoutes } from '../payments/staff-routes.ts';
import { registerNotificationRoutes } from '../notify/routes.ts';
import { registerForwardingRoutes } from '../forwarding/routes.ts';
import { registerForwardingStaffRoutes } from '../forwarding/staff-routes.ts';
import { newId } from '../lib/ids.ts';
import { installAuthentication } from './auth.ts';
import type { AppContext } from './context.ts';
import { installIdempotency } from './idempotency.ts';
import { installErrorHandling, sendProblem } from './problem.ts';

export type App = FastifyInstance;

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Bodies are validated strictly (no type coercion, no unknown fields: a wrong type is an
 * error, not a guess); query strings and params are text, so they are coerced.
 */
function validatorCompilers() {
  const strict = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false });
  const coercing = new Ajv({ allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(strict);
  addFormats.default(coercing);
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema);
}

export async function buildServer(ctx: AppContext): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Client addresses (login throttling, audit) come from X-Forwarded-For only behind known proxies.
    trustProxy: (_address: string, hop: number) => hop < ctx.config.trustProxyHops,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId('request'),
    return503OnClosing: true,
  });

  app.setValidatorCompiler(validatorCompilers());
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers({ 'x-request-id': request.id, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'x-frame-options': 'DENY' });
    done();
  });

  installErrorHandling(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Jembatan API',
        version: '0.1.0',
        description: 'Platform for 1688 payment agents. Errors are application/problem+json with a stable `code`. Amounts are strings of minor units.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jbt_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'Importer API key (jbt_…)' },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  installAuthentication(app, ctx);
  installIdempotency(app, ctx);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      await pingDatabase(ctx.database.db);
      return { status: 'ready', database: ctx.database.kind };
    } catch {
      return sendProblem(request, reply, 'not_ready', 'Database unreachable.');
    }
  });

  await app.register(async (api) => {
    await registerIdentityRoutes(api, ctx);
    await registerStaffRoutes(api, ctx);
    await registerLedgerRoutes(api, ctx);
    await registerFxRoutes(api, ctx);
    await registerCostingRoutes(api, ctx);
    await registerFundingRoutes(api, ctx);
    await registerFundingStaffRoutes(api, ctx);
    await registerPaymentRoutes(api, ctx);
    await registerPaymentStaffRoutes(api, ctx);
    await registerNotificationRoutes(api, ctx);
    await registerForwardingRoutes(api, ctx);
    await registerForwardingStaffRoutes(api, ctx);
  }, { prefix: '/api' });
  await registerVerificationPage(app, ctx);

  const hasWeb = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      // Files are looked up per request, so a rebuilt web app is served without a restart.
      wildcard: true,
      index: ['index.html'],
      setHeaders(res, filePath) {
        // Vite names assets by content hash: they never change; index.html always may.
        res.setHeader('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (isPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    return sendProblem(request, reply, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`);
  });

  return app;
}
