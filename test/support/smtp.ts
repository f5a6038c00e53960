import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: string[];
  /** The raw message with quoted-printable decoded (what a reader would see, headers included). */
  readonly text: string;
  readonly messageId: string | null;
}

/**
 * A real SMTP server on a free loopback port that keeps every message it accepts. Addresses in
 * `refuse` get a temporary 451 at RCPT TO (a mailbox that keeps failing), to test retries and
 * fallback to the next contact method.
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  readonly refuse = new Set<string>();
  /** RCPT TO attempts per address, accepted or not. */
  readonly attempts = new Map<string, number>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<TestSmtpServer> {
    let self: TestSmtpServer | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const to = address.address.toLowerCase();
        self?.attempts.set(to, (self.attempts.get(to) ?? 0) + 1);
        if (self?.refuse.has(to)) {
          const error = new Error('mailbox temporarily unavailable') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const text = decodeQuotedPrintable(raw);
          const id = /^Message-ID:\s*<([^>]+)>/im.exec(raw);
          self?.messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            text,
            messageId: id ? id[1] : null,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.server.address() as { port: number };
    self = new TestSmtpServer(server, port);
    return self;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
