import { randomUUID } from 'node:crypto';
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
        policy: reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [
          handler,
          wrapper.metatype,
        ]),
      });
    }
  }
  return out;
}

export interface HttpRoute {
  readonly route: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The full path with its `:params`, e.g. `/v1/admin/teams/:id`. */
  readonly path: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const; // RequestMethod's order

/** Every route of the API (controller and handler paths joined, `/v1` prefixed unless excluded). */
export function httpRoutes(app: INestApplication): HttpRoute[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const out: HttpRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = String(Reflect.getMetadata('path', wrapper.metatype) ?? '');
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as (...args: unknown[]) => unknown;
      const own = Reflect.getMetadata('path', handler) as string | string[] | undefined;
      if (own === undefined) continue;
      const method = METHODS[Reflect.getMetadata('method', handler) as number];
      if (!method) continue;
      for (const p of Array.isArray(own) ? own : [own]) {
        const joined = `/${[base, p]
          .map((s) => s.replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        const path = /^\/(health|metrics)(\/|$)/.test(joined) ? joined : `/v1${joined === '/' ? '' : joined}`;
        out.push({ route: `${wrapper.metatype.name}.${name}`, method, path });
      }
    }
  }
  return out;
}

/** A route's path with every `:param` filled (a fresh UUID unless told otherwise). */
export function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? randomUUID());
}

/** Routes that take a body (everything but GET). */
export function writeRoutes(app: INestApplication): HttpRoute[] {
  return httpRoutes(app).filter((r) => r.method !== 'GET');
}
