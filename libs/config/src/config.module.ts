import { DynamicModule, Global, Module } from '@nestjs/common';
import { PanahConfig } from './config';

/** Injection token for the process's PanahConfig. */
export const PANAH_CONFIG = Symbol('PANAH_CONFIG');

/** Provides the already-validated config; apps build it once in main.ts (or tests pass their own). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: PanahConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: PANAH_CONFIG, useValue: config }],
      exports: [PANAH_CONFIG],
    };
  }
}
