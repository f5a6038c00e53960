import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../../apps/api/src/app.factory';
import { testConfig } from '../support/config';
import { createTestDatabase, TestDatabase } from '../support/database';
import { routePolicies } from '../support/routes';

describe('access policies', () => {
  let db: TestDatabase;
  let app: INestApplication;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApiApp(testConfig(db.url));
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('every API endpoint declares who may call it', () => {
    const routes = routePolicies(app);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => r.policy === undefined).map((r) => r.route)).toEqual([]);
  });
});
