import { createTestDatabase, TestDatabase } from '../support/database';
import { testConfig } from '../support/config';
import { RunningApp, startApi } from '../support/apps';

describe('API HTTP basics', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url, { BODY_LIMIT_BYTES: '2048' }));
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('is ready when PostgreSQL and Redis both answer', async () => {
    const res = await fetch(`${api.url}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { details: Record<string, { status: string }> };
    expect(body.details.postgres.status).toBe('up');
    expect(body.details.redis.status).toBe('up');
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
  });

  it('serves a valid OpenAPI 3 document at /docs-json', async () => {
    const res = await fetch(`${api.url}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBe('Panah API');
    expect(doc.paths['/health/ready']).toBeDefined();
    expect((await fetch(`${api.url}/docs`)).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${api.url}/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, code: 'request/not_found' });
  });

  it('answers malformed JSON with a JSON 400, never a 5xx', async () => {
    const res = await fetch(`${api.url}/v1/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'request/malformed_json' });
  });

  it('answers a body with a property named like an Object.prototype member with a 400 naming it, never a 5xx, on any route', async () => {
    for (const [path, body, field] of [
      ['/v1/reporters/challenges', '{"constructor":{}}', 'constructor'],
      [
        '/v1/reporters/challenges',
        '{"reporterId":"FAKE-reporter-AAAAAAAA","nested":[{"toString":1}]}',
        'nested[0].toString',
      ],
      ['/v1/anything', '{"__proto__":{"polluted":true}}', '__proto__'],
    ]) {
      const res = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'request/validation_failed',
        fields: [{ path: field }],
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers an oversized body with a JSON 413', async () => {
    const res = await fetch(`${api.url}/v1/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413, code: 'request/payload_too_large' });
  });

  it('sends security headers and a request id, and hides the framework', async () => {
    const res = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'req-test-12345' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toBe('req-test-12345');
  });

  it('exposes Prometheus metrics: HTTP latency, queue depths, outbox backlog and age', async () => {
    await fetch(`${api.url}/v1/no-such-thing`);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toContain('panah_http_request_duration_seconds_bucket');
    expect(text).toMatch(/panah_queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
    expect(text).toMatch(/panah_outbox_backlog \d+/);
    expect(text).toMatch(/panah_outbox_oldest_age_seconds \d+/);
  });

  it('never logs an IP address, a user agent, an authorization header, a cookie or a query string', async () => {
    const agent = 'CanaryAgent/9.9 (leak-check)';
    await fetch(`${api.url}/v1/no-such-thing?token=query-canary-123`, {
      headers: {
        'user-agent': agent,
        authorization: 'Bearer auth-canary-456',
        cookie: 'sid=cookie-canary-789',
      },
    });
    await fetch(`${api.url}/v1/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': agent },
      body: JSON.stringify({ secret: 'body-canary-000' }),
    });
    const logged = api.logs.text();
    expect(api.logs.lines.length).toBeGreaterThan(0); // the requests were logged…
    expect(logged).toContain('/v1/no-such-thing'); // …by route
    for (const leak of [
      '127.0.0.1',
      '::1',
      '::ffff:',
      agent,
      'auth-canary-456',
      'cookie-canary-789',
      'query-canary-123',
      'body-canary-000',
      'remoteAddress',
      'user-agent',
    ]) {
      expect(api.logs.containing(leak)).toEqual([]);
    }
  });
});
