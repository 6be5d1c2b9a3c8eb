import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MoneyError } from '../money/money.ts';
import { AppError, errorCatalogue, errorTitle, languageFrom, type ErrorCode, type Language } from './errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The language the client asks for; else the signed-in user's; else Indonesian. */
export function requestLanguage(request: FastifyRequest): Language {
  const asked = request.headers['accept-language'];
  if (asked) return languageFrom(asked);
  const principal = request.principal;
  return principal?.kind === 'session' ? principal.user.locale : 'id';
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}) {
  const status = errorCatalogue[code].status;
  return reply
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: `urn:jembatan:problem:${code}`,
      title: errorTitle(code, requestLanguage(request)),
      status,
      code,
      ...(detail ? { detail } : {}),
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...extra,
    });
}

interface ValidationIssue {
  path: string;
  message: string;
}

function validationIssues(err: FastifyError): ValidationIssue[] {
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const base = v.instancePath || '';
    if (v.keyword === 'additionalProperties') return { path: `${base}/${String(params.additionalProperty)}`, message: 'is not an allowed field' };
    if (v.keyword === 'required') return { path: `${base}/${String(params.missingProperty)}`, message: 'is required' };
    return { path: base || '/', message: v.message ?? 'is not valid' };
  });
}

const fastifyCodeMap: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
};

/**
 * A unique index that decided a race between two requests (two scans of one box, a double
 * submit): the loser is told it conflicts, never a 500. Constraints with a code of their own
 * say so here.
 */
const uniqueViolationCodes: Record<string, ErrorCode> = {
  parcels_tracking_idx: 'parcel_already_received',
};

/** Every error leaves as problem+json with a stable code; a 500 never shows internals. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      return sendProblem(request, reply, err.code, err.detail, err.extra);
    }
    // An amount that is not valid money (wrong decimals, unknown currency) is the caller's error.
    if (err instanceof MoneyError) return sendProblem(request, reply, 'validation_failed', err.message);
    if (err.validation) {
      const issues = validationIssues(err);
      // An unknown field, unless the schema was a choice of shapes (then it is just the wrong shape).
      const unknown = err.validation.some((v) => v.keyword === 'additionalProperties') && !err.validation.some((v) => v.keyword === 'anyOf' || v.keyword === 'oneOf');
      const where = err.validationContext ? ` (${err.validationContext})` : '';
      const detail = issues.map((i) => `${i.path} ${i.message}`).join('; ') + where;
      return sendProblem(request, reply, unknown ? 'unknown_field' : 'validation_failed', detail, { errors: issues });
    }
    if (err.code === '23505') {
      const constraint = (err as { constraint?: string }).constraint ?? '';
      return sendProblem(request, reply, uniqueViolationCodes[constraint] ?? 'conflict', 'Another request did the same at the same time; reload to see it.');
    }
    const mapped = err.code ? fastifyCodeMap[err.code] : undefined;
    if (mapped) return sendProblem(request, reply, mapped, err.message);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code: ErrorCode = err.statusCode === 404 ? 'not_found' : err.statusCode === 429 ? 'too_many_requests' : err.statusCode === 405 ? 'method_not_allowed' : 'validation_failed';
      return sendProblem(request, reply, code, err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, 'internal_error');
  });
}
