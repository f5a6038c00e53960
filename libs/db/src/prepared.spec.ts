import { prepared } from './prepared';

describe('prepared', () => {
  it('names one statement per text, the same on every call', () => {
    const a = prepared('SELECT 1 WHERE $1::int = 1') as unknown as { name: string; text: string };
    const b = prepared('SELECT 1 WHERE $1::int = 1') as unknown as { name: string; text: string };
    const c = prepared('SELECT 2 WHERE $1::int = 1') as unknown as { name: string; text: string };
    expect(b).toBe(a);
    expect(a.name).toMatch(/^panah_[0-9a-f]{24}$/);
    expect(c.name).not.toBe(a.name);
    expect(a.text).toBe('SELECT 1 WHERE $1::int = 1');
  });

  it('still reads as its SQL wherever it is printed', () => {
    expect(String(prepared('SELECT 3'))).toBe('SELECT 3');
  });
});
