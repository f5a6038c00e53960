export { loggableError, loggerModule, loggableUrl, REDACT_PATHS, type LoggingOptions } from './logging';
export { MetricsService } from './metrics.service';
export { ObservabilityModule } from './observability.module';
export { READINESS_CHECKS, type ReadinessCheck, RedisProbe } from './health';
export { exitGracefullyOnSignals, surviveUnhandledRejections } from './shutdown';
