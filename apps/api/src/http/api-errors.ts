import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** The error body's schema, registered by buildOpenApiDocument (apps/api/src/openapi.ts). */
export const ERROR_BODY_REF = { $ref: '#/components/schemas/ErrorBody' };

/**
 * Documents the errors a route answers beyond those every route of its kind answers (which
 * buildOpenApiDocument adds from the access policy, the body and the path: 400, 401, 403, 404,
 * 413, 415, 500). Give each status its codes or reasons, e.g.
 * `@ApiErrors({ 409: ['request/conflict: a different report under this id'] })`.
 */
export function ApiErrors(
  errors: Readonly<Record<number, readonly string[]>>,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, reasons]) =>
      ApiResponse({
        status: Number(status),
        description: reasons
          .map((r) => `\`${r.split(':')[0]}\`${r.includes(':') ? `:${r.slice(r.indexOf(':') + 1)}` : ''}`)
          .join('; '),
        schema: ERROR_BODY_REF,
      }),
    ),
  );
}
