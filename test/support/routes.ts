import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { AccessPolicy } from '@panah/domain';
import { ACCESS_POLICY } from '@panah/security';

/** Every route handler of the API with the access policy it declares (or undefined). */
export function routePolicies(app: INestApplication): { route: string; policy: AccessPolicy | undefined }[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const out: { route: string; policy: AccessPolicy | undefined }[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata('path', handler) === undefined) continue; // not a route
      out.push({
        route: `${wrapper.metatype.name}.${name}`,
        policy: reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [handler, wrapper.metatype]),
      });
    }
  }
  return out;
}
