import { readFileSync } from 'node:fs';
import { createApiClient } from '@panah/api-client';
import { createTestDatabase, TestDatabase } from '../support/database';
import { testConfig } from '../support/config';
import { RunningApp, startApi } from '../support/apps';

describe('the served OpenAPI document', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url));
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('is docs/openapi.json exactly (run `npm run openapi` after changing a route or a DTO, and commit it)', async () => {
    const served = (await (await fetch(`${api.url}/docs-json`)).json()) as unknown;
    const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as unknown;
    // Compared as values, then reported by path: a whole-document diff is unreadable.
    const differences: string[] = [];
    const walk = (a: unknown, b: unknown, at: string): void => {
      if (differences.length >= 20) return;
      if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
        if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(at);
        return;
      }
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys)
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
    };
    walk(served, committed, '');
    expect(differences).toEqual([]);
  });

  it('types the client the web clients and the CLI use (@panah/api-client)', async () => {
    const client = createApiClient({ baseUrl: api.url });
    const { data, error, response } = await client.GET('/v1/meta');
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toBeDefined();
    const missing = await client.GET('/v1/keys/directory');
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ statusCode: 404, code: 'request/not_found' });
  });
});
