import { Command } from 'commander';
import { loadConfig } from '@panah/config';
import { pingServer } from '@panah/db';
import { assertNoEviction, createRedis, withTimeout } from '@panah/queue';
import { CliError, CliIo } from '../io';

const COMPOSE_HINT =
  'start it, point the URL at one, or run: docker compose -f docker/compose.yml up -d postgres redis';

/** `panah doctor`: is everything Panah needs reachable and correctly set up? One line per problem. */
export function registerDoctorCommand(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description('Check that the configuration is valid and PostgreSQL and Redis are reachable')
    .action(async () => {
      const config = loadConfig(io.env);
      const problems: string[] = [];

      try {
        await pingServer(config.db.url);
      } catch {
        problems.push(
          `PostgreSQL is not reachable at ${new URL(config.db.url).host} (DATABASE_URL): ${COMPOSE_HINT}`,
        );
      }

      const redis = createRedis(config.redis.url, 'probe');
      redis.on('error', () => undefined);
      try {
        await withTimeout(
          new Promise<void>((resolve, reject) => {
            redis.once('ready', resolve);
            redis.once('end', () => reject(new Error('closed')));
          }),
          3_000,
          'Redis',
        );
        await assertNoEviction(redis);
      } catch (error) {
        problems.push(
          error instanceof Error && /noeviction/.test(error.message)
            ? error.message
            : `Redis is not reachable at ${new URL(config.redis.url).host} (REDIS_URL): ${COMPOSE_HINT}`,
        );
      } finally {
        redis.disconnect();
      }

      if (problems.length > 0) throw new CliError(problems.join('\n'));
      io.out('ok: configuration valid, PostgreSQL and Redis reachable');
    });
}
