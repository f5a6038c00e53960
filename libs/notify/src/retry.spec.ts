import { afterFailure } from './retry';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('afterFailure', () => {
  it('retries transient failures with growing backoff, then falls back', () => {
    expect(afterFailure(1, false, 3, 1000, () => 0)).toEqual({ kind: 'retry', delayMs: 500 });
    expect(afterFailure(2, false, 3, 1000, () => 1)).toEqual({ kind: 'retry', delayMs: 2000 });
    expect(afterFailure(3, false, 3, 1000)).toEqual({ kind: 'fallback' });
  });

  it('falls back at once after a permanent failure', () => {
    expect(afterFailure(1, true, 3, 1000)).toEqual({ kind: 'fallback' });
  });
});

describe('webhook signatures', () => {
  const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I';
  it('verifies within the replay window and refuses tampering and stale timestamps', () => {
    const body = '{"id":"x","text":"Panah"}';
    const signature = signWebhook(secret, 1_000_000, body);
    expect(verifyWebhook(secret, { timestamp: '1000000', signature }, body, 1_000_100)).toBe('ok');
    expect(
      verifyWebhook(secret, { timestamp: '1000000', signature }, body.replace('x', 'y'), 1_000_100),
    ).toBe('bad_signature');
    expect(verifyWebhook(secret, { timestamp: '1000000', signature }, body, 1_000_301)).toBe('stale');
    expect(verifyWebhook(secret, { timestamp: 'abc', signature }, body, 1_000_000)).toBe('malformed');
  });
});
