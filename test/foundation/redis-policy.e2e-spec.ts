import { startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, TestDatabase } from '../support/database';
import { TestRedisServer } from '../support/redis-server';

describe('Redis eviction policy', () => {
  let db: TestDatabase;
  let redis: TestRedisServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await TestRedisServer.start({ policy: 'allkeys-lru' });
  });
  afterAll(async () => {
    await redis?.down();
    await db?.drop();
  });

  it('refuses to start the worker when Redis may evict jobs', async () => {
    await expect(startWorker(testConfig(db.url, { REDIS_URL: redis.url }))).rejects.toThrow(/noeviction/);
  });
});
