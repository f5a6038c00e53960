import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  NOTIFICATION_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
  type WebhookVerification,
} from '@panah/notify';

export interface ReceivedWebhook {
  readonly path: string;
  readonly id: string | null;
  readonly body: string;
  readonly text: string;
  /** Verified against the secret registered for `path` (`unknown_path` when none is). */
  readonly verification: WebhookVerification | 'unknown_path';
}

/**
 * A webhook receiver on loopback that verifies every request's signature the way a real
 * receiver must (HMAC over timestamp and raw body, replay window). `failing` paths answer 503.
 */
export class TestWebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly secrets = new Map<string, string>();
  readonly failing = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestWebhookReceiver> {
    let self: TestWebhookReceiver | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const secret = self?.secrets.get(path);
        const header = (name: string): string | undefined => {
          const v = req.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        let text = '';
        try {
          text = String((JSON.parse(body) as { text?: unknown }).text ?? '');
        } catch {
          text = '';
        }
        self?.received.push({
          path,
          id: header(NOTIFICATION_ID_HEADER) ?? null,
          body,
          text,
          verification: secret
            ? verifyWebhook(
                secret,
                { timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER) },
                body,
              )
            : 'unknown_path',
        });
        res.statusCode = self?.failing.has(path) ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    self = new TestWebhookReceiver(server, (server.address() as AddressInfo).port);
    return self;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
