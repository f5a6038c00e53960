import { testConfig } from '../test/support/config';
import { createTestDatabase } from '../test/support/database';
import { configEnv, cpuMeter, spawnApp } from './harness';

/** `npm run bench -- idle`: CPU the API and worker use while nothing happens (timers, polling). */
export async function run(): Promise<void> {
  const db = await createTestDatabase();
  const env = configEnv(testConfig(db.url));
  const api = await spawnApp('api', env);
  const worker = await spawnApp('worker', env);
  try {
    await new Promise((r) => setTimeout(r, 5_000));
    const cpu = cpuMeter({ api: api.pid, worker: worker.pid });
    await new Promise((r) => setTimeout(r, 20_000));
    console.log(`idle: ${cpu()}`);
  } finally {
    await worker.close();
    await api.close();
    await db.drop();
  }
}
