import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDependencyOutage } from '@panah/db';
import { DomainError, ErrorCode, FieldProblem } from '@panah/domain';
import { loggableError } from '@panah/observability';

/** Seconds a client is told to wait while PostgreSQL or Redis is unreachable. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** The one mapping from domain error codes to HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.MalformedJson]: HttpStatus.BAD_REQUEST,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
};

/** Fallback codes for framework exceptions, by status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  reason?: string;
  message: string;
  fields?: FieldProblem[];
  [extra: string]: unknown;
}

export function errorBody(
  status: number,
  code: string,
  message: string,
  fields?: readonly FieldProblem[],
  reason?: string,
  extra?: Readonly<Record<string, unknown>>,
): ErrorBody {
  return {
    ...extra,
    statusCode: status,
    code,
    ...(reason ? { reason } : {}),
    message,
    ...(fields && fields.length > 0 ? { fields: [...fields] } : {}),
  };
}

/**
 * Every error leaves as JSON `{statusCode, code, message, fields?}`. Unexpected errors become a
 * generic 500 whose details stay in the log (by name, code and stack frames only: messages of
 * unexpected errors, a database error's above all, can quote submitted values).
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');
  private outageLoggedAt = 0;
  private outageAnswers = 0;

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (isDependencyOutage(exception)) {
      // Nothing was committed (a request's writes are one transaction or one statement): the
      // client may retry the same request, with the same id, once the database answers.
      // One line per 10 s, not one per request: an outage must not flood the log.
      this.outageAnswers += 1;
      if (Date.now() - this.outageLoggedAt > 10_000) {
        this.logger.warn(
          {
            err: exception instanceof Error ? exception.name : typeof exception,
            answers: this.outageAnswers,
          },
          'dependency unreachable; answering 503',
        );
        this.outageLoggedAt = Date.now();
        this.outageAnswers = 0;
      }
      if (res.headersSent) return;
      res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      res
        .status(503)
        .json(errorBody(503, 'server/unavailable', 'Service temporarily unavailable; retry later'));
      return;
    }
    const { status, body } = this.toResponse(exception);
    if (status >= 500) {
      this.logger.error({ err: loggableError(exception) }, 'unhandled error');
    }
    if (res.headersSent) return;
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined)
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    res.status(status).json(body);
  }

  private toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const status = STATUS[exception.code];
      return {
        status,
        body: errorBody(
          status,
          exception.code,
          exception.message,
          exception.fields,
          exception.reason,
          exception.extra,
        ),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : exception.message;
      return { status, body: errorBody(status, CODE_BY_STATUS[status] ?? `http/${status}`, message) };
    }
    return { status: 500, body: errorBody(500, 'server/internal', 'Internal server error') };
  }
}
