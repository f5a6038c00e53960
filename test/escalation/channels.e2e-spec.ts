import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelError,
  MatrixChannel,
  SignalChannel,
  SmsChannel,
  type OutgoingNotification,
} from '@panah/notify';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('HTTP channels (Signal gateway, Matrix, SMS gateway) against a loopback server', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let status = 200;
  const message: OutgoingNotification = {
    id: '6da6cd8e-8a95-4ac6-a2bd-5609defb64dc',
    attempt: 1,
    subject: 'Panah: acknowledgement needed',
    text: 'Panah: high case AB12CD34 needs acknowledgement — https://panah.example/ack#pk_x'.padEnd(240),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.statusCode = status;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    status = 200;
  });

  it('sends Signal messages through the signal-cli REST gateway', async () => {
    await new SignalChannel({ url: base, sender: '+4915100000000' }, 2_000).send(
      { channel: 'signal', number: '+4915111111111' },
      message,
    );
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v2/send' });
    expect(JSON.parse(seen[0].body)).toEqual({
      message: message.text,
      number: '+4915100000000',
      recipients: ['+4915111111111'],
    });
  });

  it('sends a Matrix room message with an idempotent transaction id', async () => {
    await new MatrixChannel({ homeserverUrl: base, accessToken: 'syt_secret_token' }, 2_000).send(
      { channel: 'matrix', roomId: '!room:example.org' },
      message,
    );
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].url).toBe(
      `/_matrix/client/v3/rooms/${encodeURIComponent('!room:example.org')}/send/m.room.message/panah-${message.id}`,
    );
    expect(seen[0].headers.authorization).toBe('Bearer syt_secret_token');
    expect(JSON.parse(seen[0].body)).toEqual({ msgtype: 'm.text', body: message.text });
  });

  it('sends SMS through the configured gateway with an idempotency key', async () => {
    await new SmsChannel({ url: `${base}/sms`, token: 'gateway-token' }, 2_000).send(
      { channel: 'sms', number: '+4915111111111' },
      message,
    );
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/sms' });
    expect(seen[0].headers['idempotency-key']).toBe(message.id);
    expect(JSON.parse(seen[0].body)).toEqual({ to: '+4915111111111', text: message.text });
  });

  it('classifies failures: 5xx and 429 are retried, other 4xx and unconfigured channels fall back at once', async () => {
    const sms = new SmsChannel({ url: `${base}/sms`, token: null }, 2_000);
    for (const [code, permanent] of [
      [503, false],
      [429, false],
      [400, true],
      [404, true],
    ] as const) {
      status = code;
      const error = await sms.send({ channel: 'sms', number: '+4915111111111' }, message).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChannelError);
      expect(error).toMatchObject({ code: `http_${code}`, permanent });
    }
    await expect(
      new SignalChannel(null, 2_000).send({ channel: 'signal', number: '+4915111111111' }, message),
    ).rejects.toMatchObject({ code: 'signal_not_configured', permanent: true });
    const down = await new SmsChannel({ url: 'http://127.0.0.1:1/sms', token: null }, 2_000)
      .send({ channel: 'sms', number: '+4915111111111' }, message)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(down).toMatchObject({ code: 'network', permanent: false });
  });
});
