import { jsonDepthExceeds, MAX_JSON_DEPTH, prototypeKeyPath } from './body-parsing';

describe('prototypeKeyPath', () => {
  it('finds a property named like an Object.prototype member at any depth, with its path', () => {
    expect(prototypeKeyPath(JSON.parse('{"envelope":{"v":1,"toString":{}}}'))).toBe('envelope.toString');
    expect(prototypeKeyPath(JSON.parse('{"a":[{"ok":1},{"__proto__":{"x":1}}]}'))).toBe('a[1].__proto__');
    expect(prototypeKeyPath(JSON.parse('{"constructor":5}'))).toBe('constructor');
    expect(prototypeKeyPath(JSON.parse('[{"hints":{"valueOf":null}}]'))).toBe('[0].hints.valueOf');
  });

  it('passes ordinary bodies, whatever their values say', () => {
    expect(
      prototypeKeyPath(
        JSON.parse(
          '{"envelope":{"v":1,"recipients":[{"kid":"a","wk":"b"}]},"hints":{"category":"toString"}}',
        ),
      ),
    ).toBeNull();
    expect(prototypeKeyPath(['constructor', 1, null, { name: 'x' }])).toBeNull();
    expect(prototypeKeyPath(undefined)).toBeNull();
    expect(prototypeKeyPath('__proto__')).toBeNull();
  });
});

describe('jsonDepthExceeds', () => {
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  it('counts arrays and objects inside each other, not brackets inside strings', () => {
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
    expect(jsonDepthExceeds(bytes('{"a":"[[[[[[[[[[{{{{{{"}'), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":"\\"[[[[[[[["}'), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes('[[],[],[],[],[],[]]'), 2)).toBe(false);
  });

  it('answers a megabyte of nesting in linear time', () => {
    const deep = bytes('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    const started = process.hrtime.bigint();
    expect(jsonDepthExceeds(deep, MAX_JSON_DEPTH)).toBe(true);
    const wide = bytes(`[${'[],'.repeat(300_000)}[]]`);
    expect(jsonDepthExceeds(wide, MAX_JSON_DEPTH)).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
  });
});
