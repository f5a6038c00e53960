import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProducerQueuesModule } from '@panah/queue';
import { HealthController, RedisProbe } from './health';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QueueMetrics } from './queue-metrics';

/** Health (/health/live, /health/ready) and Prometheus metrics (/metrics) for either process. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }), ProducerQueuesModule],
  controllers: [HealthController, MetricsController],
  providers: [MetricsService, QueueMetrics, RedisProbe, HttpMetricsMiddleware],
  exports: [MetricsService],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
