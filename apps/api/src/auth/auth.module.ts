import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { SessionResolvers } from './session-resolvers';

/** Authentication and access policy for every API endpoint (global guard, fail closed). */
@Global()
@Module({
  providers: [SessionResolvers, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [SessionResolvers],
})
export class AuthModule {}
