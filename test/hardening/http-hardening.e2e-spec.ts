import { randomUUID } from 'node:crypto';
import { RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, TestDatabase } from '../support/database';
import { fillPath, httpRoutes, writeRoutes } from '../support/routes';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';

const MAX_DEPTH = 16;

describe('hardening: what an attacker tried against the HTTP surface', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let admin: TestStaff;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url, { BODY_LIMIT_BYTES: String(2 * 1024 * 1024) }));
    admin = await signedInStaff(api, db, { role: 'admin' });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  describe('deeply nested JSON (no login needed)', () => {
    it('answers a 3 KB body of nested arrays with a 400 naming the limit on every write endpoint, signed in or not', async () => {
      const routes = writeRoutes(api.app);
      expect(routes.length).toBeGreaterThan(30);
      const bodies = [
        '['.repeat(1_500) + ']'.repeat(1_500),
        '{"a":'.repeat(600) + '1' + '}'.repeat(600),
        `{"x":${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}}`,
      ];
      const wrong: string[] = [];
      for (const r of routes) {
        for (const headers of [{}, admin.headers]) {
          for (const body of bodies) {
            // (refused before any guard runs, so even logout keeps the session)
            const res = await fetch(`${api.url}${fillPath(r.path)}`, {
              method: r.method,
              headers: { 'content-type': 'application/json', ...headers },
              body,
            });
            const json = (await res.json()) as { code?: string; reason?: string; message?: string };
            if (
              res.status !== 400 ||
              json.reason !== 'request/nesting_too_deep' ||
              !json.message?.includes(String(MAX_DEPTH))
            ) {
              wrong.push(`${r.method} ${r.path} → ${res.status} ${json.reason ?? json.code}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('refuses eight 1 MB nested bodies at once while /health/live keeps answering', async () => {
      const body = '['.repeat(512 * 1024) + ']'.repeat(512 * 1024);
      const attacks = Array.from({ length: 8 }, () =>
        fetch(`${api.url}/v1/reporters/challenges`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }).then(async (res) => ({ status: res.status, json: (await res.json()) as { reason?: string } })),
      );
      const live = await fetch(`${api.url}/health/live`);
      expect(live.status).toBe(200);
      for (const r of await Promise.all(attacks))
        expect(r).toEqual({
          status: 400,
          json: expect.objectContaining({ reason: 'request/nesting_too_deep' }),
        });
    });

    it('still accepts nesting up to the limit', async () => {
      // the body reaches the validator (a 400 for its fields, not for its depth)
      const res = await fetch(`${api.url}/v1/reporters/challenges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"x":${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}}`,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { reason?: string }).reason).not.toBe('request/nesting_too_deep');
    });
  });

  describe('caching', () => {
    it('answers every /v1 route no-store and without an ETag, signed in or not, errors included', async () => {
      const wrong: string[] = [];
      const check = (what: string, res: Response) => {
        if (res.headers.get('cache-control') !== 'no-store' || res.headers.has('etag'))
          wrong.push(
            `${what} → ${res.status} cache-control=${res.headers.get('cache-control')} etag=${res.headers.get('etag')}`,
          );
      };
      const sweeper = await signedInStaff(api, db, { role: 'admin' }); // its session ends at logout
      for (const r of httpRoutes(api.app).filter((x) => x.path.startsWith('/v1'))) {
        for (const headers of [{}, sweeper.headers]) {
          const res = await fetch(`${api.url}${fillPath(r.path)}`, {
            method: r.method,
            headers: { ...headers, ...(r.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
            body: r.method === 'GET' ? undefined : '{}',
          });
          await res.arrayBuffer();
          check(`${r.method} ${r.path}`, res);
        }
      }
      const me = await fetch(`${api.url}/v1/staff/me`, { headers: admin.headers });
      expect(me.status).toBe(200);
      check('GET /v1/staff/me', me);
      const second = await fetch(`${api.url}/v1/staff/me`, { headers: admin.headers });
      expect(second.status).toBe(200); // never a 304
      check('GET /v1/staff/me again', second);
      check('404', await fetch(`${api.url}/v1/no-such-route`));
      check(
        'malformed JSON',
        await fetch(`${api.url}/v1/staff/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{',
        }),
      );
      expect(wrong).toEqual([]);
    });
  });

  describe('small 5xx', () => {
    it('answers PATCH /v1/admin/teams/{id} with {"name": null} with a 400 naming the field, and changes nothing', async () => {
      const teamId = await ensureTeam(db, `Team ${randomUUID().slice(0, 8)}`);
      for (const body of [
        { name: null },
        { regions: null },
        { languages: null },
        { name: null, regions: ['DE'] },
      ]) {
        const res = await fetch(`${api.url}/v1/admin/teams/${teamId}`, {
          method: 'PATCH',
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as { fields?: { path: string }[] };
        expect(res.status).toBe(400);
        expect(json.fields?.map((f) => f.path)).toContain(Object.keys(body)[0]);
      }
      const [team] = await rowsOf<{ name: string; regions: string[] }>(
        db.url,
        'SELECT name, regions FROM teams WHERE id = $1',
        [teamId],
      );
      expect(team.regions).toEqual([]);
      expect(team.name).toMatch(/^Team /);
    });

    it('answers an on-call `at` far outside the representable range with a 400 naming it', async () => {
      const teamId = await ensureTeam(db, `On-call ${randomUUID().slice(0, 8)}`);
      for (const at of [
        '+275760-09-13T00:00:00.000Z',
        '-271821-04-20T00:00:00.000Z',
        '+100000-01-01T00:00:00Z',
        '10000-01-01',
        '0001-01-01T00:00:00Z',
        '8640000000000000',
        'yesterday',
      ]) {
        const res = await fetch(`${api.url}/v1/admin/teams/${teamId}/on-call?at=${encodeURIComponent(at)}`, {
          headers: admin.headers,
        });
        const json = (await res.json()) as { fields?: { path: string }[] };
        expect({ at, status: res.status, fields: json.fields?.map((f) => f.path) }).toEqual({
          at,
          status: 400,
          fields: ['at'],
        });
      }
      const twice = await fetch(
        `${api.url}/v1/admin/teams/${teamId}/on-call?at=2026-01-01T00:00:00Z&at=2026-01-02T00:00:00Z`,
        { headers: admin.headers },
      );
      expect(twice.status).toBe(400);
      const ok = await fetch(`${api.url}/v1/admin/teams/${teamId}/on-call?at=2030-01-01T00:00:00Z`, {
        headers: admin.headers,
      });
      expect([200, 404]).toContain(ok.status); // 404: no rotation yet
    });
  });
});
