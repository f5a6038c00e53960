import { createDataSource, migrate, pendingSchemaChanges } from '@panah/db';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('database schema', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('has no drift: entities and migrations describe the same schema', async () => {
    const ds = createDataSource({ url: db.url, poolSize: 2 });
    await ds.initialize();
    try {
      expect(await pendingSchemaChanges(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('applies nothing when migrated twice', async () => {
    expect(await migrate({ url: db.url })).toEqual([]);
  });
});
