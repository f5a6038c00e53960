import { forbiddenRange, parseAllowList } from './address-policy';
import { OutboundGuard, OutboundRefused, type Resolver } from './outbound-http';

const refusedUrl = async (guard: OutboundGuard, url: string): Promise<string | null> =>
  guard.check(url).then(
    () => null,
    (e: unknown) => (e instanceof OutboundRefused ? e.reason : `threw ${String(e)}`),
  );

describe('outbound address policy', () => {
  it('refuses loopback, private, shared, link-local, unique-local, multicast, unspecified and reserved addresses', () => {
    for (const a of [
      '127.0.0.1',
      '127.255.255.254',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '239.255.255.250',
      '255.255.255.255',
      '240.0.0.1',
      '198.18.0.1',
    ]) {
      expect({ a, range: forbiddenRange(a) }).toEqual({ a, range: expect.any(String) });
    }
    for (const a of [
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      'fec0::1',
      '0:0:0:0:0:0:0:1',
      '0000:0000:0000:0000:0000:0000:0000:0001',
      '[::1]',
    ]) {
      expect({ a, range: forbiddenRange(a) }).toEqual({ a, range: expect.any(String) });
    }
  });

  it('refuses IPv6 forms that embed a forbidden IPv4 address (mapped, compatible, NAT64, 6to4)', () => {
    for (const a of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::FFFF:7F00:0001',
      '0:0:0:0:0:ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
      '::7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b::10.0.0.1',
      '2002:7f00:1::',
      '2002:c0a8:101::1',
      '::ffff:0:7f00:1',
      '::ffff:169.254.169.254',
    ]) {
      expect({ a, range: forbiddenRange(a) }).toEqual({ a, range: expect.any(String) });
    }
  });

  it('lets public addresses through, in IPv4 and IPv6 (mapped public IPv4 too)', () => {
    for (const a of [
      '93.184.216.34',
      '8.8.8.8',
      '1.1.1.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '2a00:1450:4001:81c::200e',
      '172.32.0.1',
      '100.128.0.1',
    ])
      expect({ a, range: forbiddenRange(a) }).toEqual({ a, range: null });
  });

  it('refuses anything that is not an address', () => {
    for (const a of ['localhost', '127.1', '2130706433', '0x7f000001', '', 'fe80::1%eth0', '1.2.3'])
      expect(forbiddenRange(a)).not.toBeNull();
  });

  it('allows only the named ranges an operator lists', () => {
    const allowed = parseAllowList('127.0.0.1/32, 10.20.0.0/16');
    expect(forbiddenRange('127.0.0.1', allowed)).toBeNull();
    expect(forbiddenRange('::ffff:127.0.0.1', allowed)).toBeNull();
    expect(forbiddenRange('10.20.3.4', allowed)).toBeNull();
    expect(forbiddenRange('127.0.0.2', allowed)).toBe('loopback');
    expect(forbiddenRange('10.21.0.1', allowed)).toBe('private');
    expect(() => parseAllowList('10.0.0.0/33')).toThrow();
    expect(() => parseAllowList('example.org')).toThrow();
  });
});

describe('OutboundGuard.check (URL spellings and resolution)', () => {
  const resolvesTo =
    (table: Record<string, string[]>): Resolver =>
    async (host) => {
      const addresses = table[host];
      if (!addresses) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
  const guard = new OutboundGuard(
    [],
    resolvesTo({
      'hooks.example': ['93.184.216.34'],
      'evil.example': ['127.0.0.1'],
      'mixed.example': ['93.184.216.34', '10.0.0.5'],
      'v6.example': ['::1'],
      localhost: ['127.0.0.1', '::1'],
    }),
  );

  it('refuses every numeric spelling of loopback and private hosts', async () => {
    for (const url of [
      'http://127.0.0.1:9100/metrics',
      'http://127.1:5432/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0x7f.0.0.1/',
      'http://0177.0.0.1/',
      'http://017700000001/',
      'http://127.000.000.001/',
      'http://[::1]:5432/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[0:0:0:0:0:ffff:127.0.0.1]/',
      'http://[::]/',
      'http://0.0.0.0/',
      'http://0/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://%31%32%37.0.0.1/',
      'http://127.0.0.1./',
      'https://localhost/',
      'http://evil.example/',
      'http://mixed.example/',
      'http://v6.example/',
    ]) {
      expect({ url, refused: await refusedUrl(guard, url) }).toEqual({ url, refused: 'forbidden_address' });
    }
  });

  it('refuses credentials in URLs, other schemes and names that do not resolve', async () => {
    expect(await refusedUrl(guard, 'http://user:pass@hooks.example/')).toBe('credentials');
    expect(await refusedUrl(guard, 'http://user@hooks.example/')).toBe('credentials');
    expect(await refusedUrl(guard, 'http://:pass@hooks.example/')).toBe('credentials');
    expect(await refusedUrl(guard, 'http://user:pass@127.0.0.1/')).toBe('credentials');
    expect(await refusedUrl(guard, 'file:///etc/passwd')).toBe('not_http');
    expect(await refusedUrl(guard, 'gopher://hooks.example/')).toBe('not_http');
    expect(await refusedUrl(guard, 'http://nowhere.example/')).toBe('unresolvable');
  });

  it('passes a public name and returns the one address it checked', async () => {
    const target = await guard.check('https://hooks.example/panah');
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(target.url.hostname).toBe('hooks.example');
  });
});
