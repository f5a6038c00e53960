import { prototypeKeyPath } from './body-parsing';

describe('prototypeKeyPath', () => {
  it('finds a property named like an Object.prototype member at any depth, with its path', () => {
    expect(prototypeKeyPath(JSON.parse('{"envelope":{"v":1,"toString":{}}}'))).toBe('envelope.toString');
    expect(prototypeKeyPath(JSON.parse('{"a":[{"ok":1},{"__proto__":{"x":1}}]}'))).toBe('a[1].__proto__');
    expect(prototypeKeyPath(JSON.parse('{"constructor":5}'))).toBe('constructor');
    expect(prototypeKeyPath(JSON.parse('[{"hints":{"valueOf":null}}]'))).toBe('[0].hints.valueOf');
  });

  it('passes ordinary bodies, whatever their values say', () => {
    expect(prototypeKeyPath(JSON.parse('{"envelope":{"v":1,"recipients":[{"kid":"a","wk":"b"}]},"hints":{"category":"toString"}}'))).toBeNull();
    expect(prototypeKeyPath(['constructor', 1, null, { name: 'x' }])).toBeNull();
    expect(prototypeKeyPath(undefined)).toBeNull();
    expect(prototypeKeyPath('__proto__')).toBeNull();
  });
});
