import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type Cidr, forbiddenRange } from './address-policy';

/** Why an outbound URL is refused; `detail` is for the person who entered it, never logged. */
export class OutboundRefused extends Error {
  constructor(
    readonly reason: 'not_http' | 'credentials' | 'unresolvable' | 'forbidden_address',
    readonly detail: string,
  ) {
    super(`outbound request refused: ${reason}`);
    this.name = 'OutboundRefused';
  }
}

/** A URL whose host has been resolved once and every address checked. */
export interface CheckedTarget {
  readonly url: URL;
  /** The one address the connection will be made to (no second lookup). */
  readonly address: string;
  readonly family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/**
 * The guard for every request the server makes to a URL a staff member chose: used when a
 * webhook is saved (so a bad one is refused at once, naming the field) and again at each
 * delivery (the name may resolve elsewhere by then), where the connection goes to the address
 * that was checked through a fixed `lookup`, so a second resolution cannot swap it.
 */
export class OutboundGuard {
  constructor(
    private readonly allowed: readonly Cidr[],
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async check(raw: string): Promise<CheckedTarget> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundRefused('not_http', 'must be an http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OutboundRefused('not_http', 'must be an http(s) URL');
    if (url.username || url.password)
      throw new OutboundRefused('credentials', 'must not carry a user name or password');
    // WHATWG URL parsing already turned 127.1, 2130706433, 0x7f000001 and 0177.0.0.1 into
    // 127.0.0.1, and bracketed IPv6 into its compressed form.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let addresses: readonly LookupAddress[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        throw new OutboundRefused('unresolvable', 'host name does not resolve');
      }
      if (addresses.length === 0) throw new OutboundRefused('unresolvable', 'host name does not resolve');
    }
    for (const a of addresses) {
      const range = forbiddenRange(a.address, this.allowed);
      if (range) throw new OutboundRefused('forbidden_address', `must not point at a ${range} address`);
    }
    const first = addresses[0];
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /** Checks `raw`, then sends one request to the checked address; resolves with the status. */
  async send(
    raw: string,
    init: { method: string; headers: Record<string, string>; body: string },
    timeoutMs: number,
  ): Promise<number> {
    const target = await this.check(raw);
    return sendTo(target, init, timeoutMs);
  }
}

/**
 * One request to a checked target: the socket connects to `target.address`, TLS still checks the name.
 *
 * Two timeouts of `timeoutMs` each. Until the request has been handed to the operating system, giving
 * up means the receiver got nothing, so the first timer destroys it at once. Once it has left, the
 * receiver may have it: the second timer, counted from then, looks for the answer once more before it
 * gives up. A timer that fires after the event loop was busy (a restarted worker catching up, a CPU
 * starved machine) runs before the poll phase reads the socket, so the answer can be waiting unread;
 * `setImmediate` runs after that phase. Without it, a busy worker timed out answers it had received
 * and sent the notification again.
 */
export function sendTo(
  target: CheckedTarget,
  init: { method: string; headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: LookupAddress[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const options: RequestOptions = {
    method: init.method,
    headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
    lookup: pinned,
    agent: false,
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    let answered = false;
    const giveUp = (): void => {
      if (!answered) req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    };
    let timer = setTimeout(giveUp, timeoutMs);
    const req = send(target.url, options, (res) => {
      answered = true;
      clearTimeout(timer);
      res.resume(); // the answer's content is not needed (nor logged)
      resolve(res.statusCode ?? 0);
    });
    req.on('finish', () => {
      clearTimeout(timer);
      timer = setTimeout(() => setImmediate(giveUp), timeoutMs);
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(init.body);
  });
}
