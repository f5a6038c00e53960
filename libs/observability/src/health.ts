import {
  Controller,
  Get,
  HttpException,
  Inject,
  Injectable,
  OnApplicationShutdown,
  Optional,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { createRedis } from '@panah/queue';
import { Public } from '@panah/security';

/** A readiness check contributed by a capability (e.g. the escalation sweeper's freshness). */
export type ReadinessCheck = () => Promise<HealthIndicatorResult>;
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** A dedicated fail-fast Redis client for health checks: it never queues a command. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private readonly client: Redis;

  constructor(@Inject(PANAH_CONFIG) config: PanahConfig) {
    this.client = createRedis(config.redis.url, 'probe');
    this.client.on('error', () => undefined); // reported through readiness
  }

  async ping(): Promise<void> {
    const reply = await this.client.ping();
    if (reply !== 'PONG') throw new Error('unexpected PING reply');
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

const INDICATORS = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
  },
  example: { postgres: { status: 'up' }, redis: { status: 'up' } },
};
const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'], example: 'ok' },
    info: INDICATORS,
    error: { ...INDICATORS, example: {} },
    details: INDICATORS,
  },
};

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisProbe,
    @Optional() @Inject(READINESS_CHECKS) private readonly extra: ReadinessCheck[] = [],
  ) {}

  /** The process is up; says nothing about its dependencies (restart only if this fails). */
  @Get('live')
  @ApiOkResponse({
    description: 'the process is up',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'], example: 'ok' } },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'never answered by a live process (a proxy answers it while the process is down)',
    schema: HEALTH_SCHEMA,
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** PostgreSQL and Redis answer within a second each; 503 otherwise. */
  @Get('ready')
  // Documented here rather than by terminus (whose optional swagger lookup differs between the
  // build and the tests, and so would make the committed OpenAPI document depend on the loader).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'PostgreSQL, Redis and every readiness check answer', schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'a dependency or a readiness check is down (named in `error`)',
    schema: HEALTH_SCHEMA,
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    // Answer the 503 here, with terminus' per-dependency details, rather than through the
    // API's generic error filter (which would reduce it to a message).
    try {
      return await this.check();
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      res.status(error.getStatus());
      return error.getResponse();
    }
  }

  private check() {
    return this.health.check([
      () => this.db.pingCheck('postgres').withTimeout(1_500),
      () =>
        this.indicators
          .check('redis')
          .attempt(() => this.redis.ping())
          .withTimeout(1_500),
      ...this.extra,
    ]);
  }
}
