import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { assertAuthorized, customerScope } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { listNotifications, markNotificationsRead } from './in-app.ts';

const ListQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 30 }) }, { additionalProperties: false });
const ReadBody = Type.Object({ ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200, description: 'absent: all' })) }, { additionalProperties: false });

export async function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get('/notifications', { schema: { tags: ['notifications'], summary: 'In-app notifications of your account, newest first, with the unread count', querystring: ListQuery } }, async (request) => {
    assertAuthorized(request, { roles: ['importer'], apiKeyScope: 'account:read' });
    return listNotifications(db, customerScope(request)!, (request.query as Static<typeof ListQuery>).limit);
  });

  app.post('/notifications/read', { schema: { tags: ['notifications'], summary: 'Mark notifications read (all when no ids are given)', body: ReadBody } }, async (request) => {
    assertAuthorized(request, { roles: ['importer'] });
    const { ids } = request.body as Static<typeof ReadBody>;
    return { marked: await markNotificationsRead(db, customerScope(request)!, ids ?? 'all') };
  });
}
