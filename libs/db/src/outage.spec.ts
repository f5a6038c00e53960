import { isDependencyOutage } from './outage';

describe('isDependencyOutage', () => {
  it('recognises refused connections, server shutdowns and pool timeouts, also wrapped', () => {
    expect(
      isDependencyOutage(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(
      isDependencyOutage(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(isDependencyOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDependencyOutage(
        Object.assign(new Error('query failed'), {
          driverError: Object.assign(new Error('x'), { code: '08006' }),
        }),
      ),
    ).toBe(true);
    expect(
      isDependencyOutage(new Error('outer', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(
      isDependencyOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBe(true);
  });

  it('does not excuse bugs or bad data', () => {
    expect(isDependencyOutage(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDependencyOutage(new TypeError('x is undefined'))).toBe(false);
    expect(isDependencyOutage(null)).toBe(false);
    expect(isDependencyOutage('ECONNREFUSED')).toBe(false);
  });
});
