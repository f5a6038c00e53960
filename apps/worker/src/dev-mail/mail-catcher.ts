import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import type { SMTPServer } from 'smtp-server';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { DEV_MAIL_KEEP, devMailKey, readMail } from '@panah/notify';
import { redisOptions } from '@panah/queue';

/**
 * The demo's development mail catcher (DEMO_MODE only; WorkerModule adds it nowhere else): an
 * SMTP server on SMTP_URL's loopback port that accepts every message the email channel sends and
 * keeps a readable copy in Redis for the API's /dev/mail page. `smtp-server` is a development
 * dependency loaded only here, so a production install (`npm prune --omit=dev`) does not even
 * contain it.
 */
@Injectable()
export class DevMailCatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DevMailCatcher.name);
  private server: SMTPServer | null = null;
  private redis: Redis | null = null;

  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {}

  async onModuleInit(): Promise<void> {
    const demo = this.config.demo;
    if (!demo) return;
    const { SMTPServer: Server } = await import('smtp-server');
    const redis = new Redis(redisOptions(this.config.redis.url, 'worker'));
    this.redis = redis;
    const key = devMailKey(this.config.redis.prefix);
    const server = new Server({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 1_048_576,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const mail = readMail(
            Buffer.concat(chunks).toString('utf8'),
            {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            },
            new Date(),
          );
          redis
            .multi()
            .lpush(key, JSON.stringify(mail))
            .ltrim(key, 0, DEV_MAIL_KEEP - 1)
            .exec()
            .then(
              () => callback(),
              (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
            );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(demo.mailCatcher.port, demo.mailCatcher.host, () => resolve());
    });
    this.server = server;
    this.logger.log(
      `demo mail catcher on smtp://${demo.mailCatcher.host}:${demo.mailCatcher.port}; read it at ${this.config.publicUrl}/dev/mail`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.redis?.quit().catch(() => undefined);
    this.redis = null;
  }
}
