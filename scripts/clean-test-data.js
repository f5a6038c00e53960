// Removes what crashed or interrupted test runs left behind: databases `panah_t_<pid>_…` and
// Redis keys under `panah-t-<pid>-…` whose process is gone. Never touches a live run's data.
'use strict';
const { Client } = require('pg');
const Redis = require('ioredis');

const alive = (pid) => {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

async function main() {
  const pg = new Client({
    connectionString: process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await pg.connect();
  const { rows } = await pg.query(`SELECT datname FROM pg_database WHERE datname LIKE 'panah\\_t\\_%'`);
  let dropped = 0;
  for (const { datname } of rows) {
    const pid = /^panah_t_(\d+)_/.exec(datname)?.[1];
    if (pid && !alive(pid)) {
      await pg.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      dropped += 1;
    }
  }
  await pg.end();

  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 1,
  });
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'panah-t-*', 'COUNT', 5000);
    cursor = next;
    const stale = keys.filter((k) => !alive(/^panah-t-(\d+)-/.exec(k)?.[1] ?? '0'));
    if (stale.length) removed += await redis.unlink(...stale);
  } while (cursor !== '0');
  redis.disconnect();
  if (dropped || removed)
    console.error(`cleaned up after earlier runs: ${dropped} databases, ${removed} Redis keys`);
}

main().catch((error) => {
  // Cleaning is best effort; the tests create their own fresh data regardless.
  console.error(`clean-up skipped: ${error.message}`);
});
