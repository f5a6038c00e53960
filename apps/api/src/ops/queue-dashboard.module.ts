import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import {
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { accessDecision, ErrorCode, type Principal } from '@panah/domain';
import { ProducerQueues, ProducerQueuesModule } from '@panah/queue';
import { bearerToken } from '../auth/access.guard';
import { SessionResolvers } from '../auth/session-resolvers';
import { errorBody } from '../http/error-filter';

/** Where the board is mounted, under the global `/v1` prefix. */
export const QUEUE_DASHBOARD_ROUTE = 'admin/queues';

/**
 * Admins only, GET/HEAD only (the board is read-only twice over: `readOnlyMode` hides its
 * buttons and this refuses the routes behind them). The caller signs in as for every staff route,
 * with the staff session as `Authorization: Bearer`; anything else is the usual 401/403 body.
 */
@Injectable()
export class QueueDashboardAccess implements NestMiddleware {
  constructor(private readonly sessions: SessionResolvers) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const token = bearerToken(req);
    let principal: Principal | null = null;
    try {
      principal = token ? await this.sessions.resolve(token) : null;
    } catch (error) {
      next(error);
      return;
    }
    const decision = accessDecision({ kind: 'staff', roles: ['admin'] }, principal);
    if (decision === 'unauthenticated') {
      res.status(401).json(errorBody(401, ErrorCode.Unauthenticated, 'A valid session is required'));
      return;
    }
    if (decision !== 'allow') {
      res.status(403).json(errorBody(403, ErrorCode.Forbidden, 'Not allowed for this account'));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(403).json(errorBody(403, ErrorCode.Forbidden, 'The queue dashboard is read-only'));
      return;
    }
    next();
  }
}

/**
 * A job as the board shows it: name, id, timings, attempts, the failure reason (a code such as
 * `http_503`) and the payload, which holds ids and small numbers only (libs/queue's schemas:
 * never report content, hints, contact details or tokens). Stack traces and return values are
 * left out: they are not needed to see a queue's health and could carry more than a code.
 */
function redactedJob(job: Job): Job {
  const toJSON = job.toJSON.bind(job);
  return Object.assign(Object.create(job) as Job, {
    toJSON: () => ({ ...toJSON(), stacktrace: [], returnvalue: null }),
  });
}

class RedactedBullMQAdapter extends BullMQAdapter {
  constructor(queue: Queue) {
    super(queue, { readOnlyMode: true, allowRetries: false });
    this.setFormatter('returnValue', () => null);
  }

  override async getJob(id: string): Promise<Job | undefined> {
    const job = await super.getJob(id);
    return job ? redactedJob(job) : job;
  }

  override async getJobs(...args: Parameters<BullMQAdapter['getJobs']>): Promise<Job[]> {
    return (await super.getJobs(...args)).map(redactedJob);
  }

  override async getJobLogs(): Promise<string[]> {
    return [];
  }
}

/**
 * The read-only queue dashboard (issue 19 point 6): Bull Board at `/v1/admin/queues`, for admins,
 * mounted only with `QUEUE_DASHBOARD=on` (otherwise the path is a 404 like any unknown one).
 *
 * This is what `@bull-board/nestjs`'s root module does (an Express router behind a middleware),
 * written out: that package is CommonJS and `require`s `@nestjs/common`, which NestJS 12 ships as
 * ES modules only, so Jest (native ESM on Node 20) cannot load it. The board shows the API's own
 * producer queues; the API processes none of them.
 */
@Module({ imports: [ProducerQueuesModule], providers: [QueueDashboardAccess] })
export class QueueDashboardModule implements NestModule {
  constructor(private readonly queues: ProducerQueues) {}

  configure(consumer: MiddlewareConsumer): void {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(`/v1/${QUEUE_DASHBOARD_ROUTE}`);
    createBullBoard({
      queues: [...this.queues.all().values()].map((queue) => new RedactedBullMQAdapter(queue)),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Panah queues' } },
    });
    consumer.apply(QueueDashboardAccess, serverAdapter.getRouter()).forRoutes(QUEUE_DASHBOARD_ROUTE);
  }
}
