import { startApi } from '../test/support/apps';
import { testConfig } from '../test/support/config';
import { createTestDatabase } from '../test/support/database';
import { httpLoad, printHttpLoad } from './harness';

/** `/health/ready` (one PostgreSQL and one Redis round trip per request) and `/health/live`. */
export async function run(): Promise<void> {
  const db = await createTestDatabase();
  const api = await startApi(testConfig(db.url, { LOG_LEVEL: 'warn' }));
  try {
    console.log('scenario                        throughput      latency');
    for (const path of ['/health/live', '/health/ready']) {
      printHttpLoad(
        await httpLoad({
          scenario: `GET ${path}`,
          url: `${api.url}${path}`,
          durationSeconds: 8,
          connections: 20,
        }),
      );
    }
  } finally {
    await api.close();
    await db.drop();
  }
}
