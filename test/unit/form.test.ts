import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WireError } from '../../src/api/error-messages.ts';
import { DEFAULT_LIMITS, decodeForm } from '../../src/api/form.ts';
import { asWire } from '../support/refusal.ts';

/**
 * The decoder returns prototype-less objects; a JSON round trip turns them into plain ones (own
 * `__proto__` keys stay own keys) so they compare with deepEqual against literals.
 */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function decodes(input: string, expected: unknown): void {
  assert.deepEqual(plain(decodeForm(input)), expected, `decodeForm(${JSON.stringify(input)})`);
}

function rejects(input: string, param?: string, limits = DEFAULT_LIMITS): WireError {
  let thrown: unknown;
  try {
    decodeForm(input, limits);
  } catch (error) {
    thrown = error;
  }
  const caught = asWire(thrown);
  const shown = JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
  assert.ok(caught !== undefined, `decodeForm(${shown}) should throw a refusal, got ${String(thrown)}`);
  assert.equal(caught.status, 400, shown);
  assert.equal(caught.body.type, 'invalid_request_error', shown);
  assert.equal(typeof caught.body.message, 'string');
  assert.ok(caught.body.message.length > 0);
  if (param !== undefined) assert.equal(caught.body.param, param, shown);
  return caught;
}

describe('decodeForm: scalars and decoding', () => {
  const cases: [string, string, unknown][] = [
    ['empty body', '', {}],
    ['one scalar', 'name=Jenny', { name: 'Jenny' }],
    [
      'several scalars',
      'name=Jenny&email=j%40x.io&balance=-5',
      { name: 'Jenny', email: 'j@x.io', balance: '-5' },
    ],
    ['`+` is a space', 'name=Jenny+Rosen', { name: 'Jenny Rosen' }],
    ['%20 is a space', 'name=Jenny%20Rosen', { name: 'Jenny Rosen' }],
    ['%2B is a literal plus', 'phone=%2B33123', { phone: '+33123' }],
    ['`+` in a key is a space too', 'a+b=1', { 'a b': '1' }],
    ['multi-byte UTF-8', 'name=%C3%A9t%C3%A9+%E2%9C%93+%F0%9F%98%80', { name: 'été ✓ 😀' }],
    ['lower-case hex digits', 'name=%c3%a9', { name: 'é' }],
    ['raw non-ASCII text passes through', 'name=été', { name: 'été' }],
    ['value containing `=`', 'q=a=b=c', { q: 'a=b=c' }],
    ['value containing encoded `=`', 'q=a%3Db', { q: 'a=b' }],
    ['value containing encoded `&`', 'q=a%26b=c', { q: 'a&b=c' }],
    ['value containing raw brackets', 'q=a[b]', { q: 'a[b]' }],
    ['value containing encoded brackets', 'description=%5Bdraft%5D+plan', { description: '[draft] plan' }],
    ['empty value', 'description=', { description: '' }],
    ['key without `=` is an empty value', 'description', { description: '' }],
    ['empty pairs are ignored', '&a=1&&b=2&', { a: '1', b: '2' }],
    ['a pair with an empty key is ignored', '=x&a=1', { a: '1' }],
    ['the last of repeated scalars wins', 'a=1&a=2', { a: '2' }],
    ['a key with an unmatched bracket is one literal name', 'a[b=1', { 'a[b': '1' }],
    ['a key with a stray closing bracket is one literal name', 'a]=1', { 'a]': '1' }],
  ];
  for (const [name, input, expected] of cases) test(name, () => decodes(input, expected));
});

describe('decodeForm: brackets', () => {
  const cases: [string, string, unknown][] = [
    ['object key', 'metadata[plan]=pro', { metadata: { plan: 'pro' } }],
    ['two keys of one object', 'metadata[a]=1&metadata[b]=2', { metadata: { a: '1', b: '2' } }],
    ['encoded brackets', 'metadata%5Bplan%5D=pro', { metadata: { plan: 'pro' } }],
    ['lower-case encoded brackets', 'metadata%5bplan%5d=pro', { metadata: { plan: 'pro' } }],
    ['mixed raw and encoded brackets', 'metadata[plan%5D=pro', { metadata: { plan: 'pro' } }],
    ['encoded key text inside brackets', 'metadata[a%20b]=1', { metadata: { 'a b': '1' } }],
    ['deep nesting', 'a[b][c][d]=x', { a: { b: { c: { d: 'x' } } } }],
    ['`[]` appends', 'expand[]=a&expand[]=b', { expand: ['a', 'b'] }],
    ['encoded `[]` appends', 'expand%5B%5D=a&expand%5B%5D=b', { expand: ['a', 'b'] }],
    ['a single `[]` is a one-element array', 'expand[]=a', { expand: ['a'] }],
    ['`[]=` appends an empty string', 'expand[]=', { expand: [''] }],
    [
      'indexed keys stay index-keyed object entries',
      'expand[0]=a&expand[1]=b',
      { expand: { 0: 'a', 1: 'b' } },
    ],
    [
      'indexed array of objects groups by index',
      'items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2',
      { items: { 0: { price: 'p1', quantity: '2' }, 1: { price: 'p2' } } },
    ],
    ['`a[][b]` repeated starts a new element', 'a[][b]=1&a[][b]=2', { a: [{ b: '1' }, { b: '2' }] }],
    [
      '`a[][b]` then `a[][c]` fill one element until a key repeats',
      'a[][b]=1&a[][c]=2&a[][b]=3',
      { a: [{ b: '1', c: '2' }, { b: '3' }] },
    ],
    ['`[]` below an object key', 'a[b][]=1&a[b][]=2', { a: { b: ['1', '2'] } }],
    [
      'Stripe-style deep nesting',
      'features[subscription_update][products][0][prices][0]=price_1',
      { features: { subscription_update: { products: { 0: { prices: { 0: 'price_1' } } } } } },
    ],
    ['brackets in a value under a bracketed key', 'metadata[note]=x[y]=z', { metadata: { note: 'x[y]=z' } }],
    ['empty value under a bracketed key', 'metadata[plan]=', { metadata: { plan: '' } }],
  ];
  for (const [name, input, expected] of cases) test(name, () => decodes(input, expected));

  test('raw and percent-encoded brackets decode to the same value', () => {
    const pairs: [string, string][] = [
      ['a[b][c]=1&a[b][d]=2', 'a%5Bb%5D%5Bc%5D=1&a%5Bb%5D%5Bd%5D=2'],
      ['x[]=1&x[]=2', 'x%5B%5D=1&x%5B%5D=2'],
      ['items[0][price]=p', 'items%5B0%5D%5Bprice%5D=p'],
      ['a[][b]=1&a[][b]=2', 'a%5B%5D%5Bb%5D=1&a%5B%5D%5Bb%5D=2'],
    ];
    for (const [raw, encoded] of pairs) assert.deepEqual(plain(decodeForm(encoded)), plain(decodeForm(raw)));
  });
});

describe('decodeForm: prototype keys are plain data', () => {
  const cases: [string, string, unknown][] = [
    ['__proto__ scalar', '__proto__=x', JSON.parse('{"__proto__":"x"}')],
    ['__proto__ object', '__proto__[polluted]=yes', JSON.parse('{"__proto__":{"polluted":"yes"}}')],
    [
      'constructor[prototype]',
      'constructor[prototype][polluted]=yes',
      { constructor: { prototype: { polluted: 'yes' } } },
    ],
    ['__proto__ as a nested key', 'metadata[__proto__]=x', JSON.parse('{"metadata":{"__proto__":"x"}}')],
    ['__proto__ inside an array element', 'a[][__proto__]=x', JSON.parse('{"a":[{"__proto__":"x"}]}')],
    ['toString and hasOwnProperty', 'toString=1&hasOwnProperty=2', { toString: '1', hasOwnProperty: '2' }],
    [
      'encoded __proto__ key',
      '%5F%5Fproto%5F%5F%5Bpolluted%5D=yes',
      JSON.parse('{"__proto__":{"polluted":"yes"}}'),
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const decoded = decodeForm(input);
      assert.deepEqual(plain(decoded), expected);
      const key = Object.keys(expected as object)[0]!;
      assert.ok(Object.hasOwn(decoded, key), `${key} should be an own key`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
      assert.equal(typeof ({} as { toString: unknown }).toString, 'function');
    });
  }

  test('a key named like an Object.prototype member is absent until sent', () => {
    const decoded = decodeForm('a=1');
    assert.equal(decoded.constructor, undefined);
    assert.equal(decoded.toString, undefined);
    assert.equal(Reflect.get(decoded, '__proto__'), undefined);
  });

  test('__proto__[] then __proto__[] builds an array, not a prototype', () => {
    const decoded = decodeForm('__proto__[]=a&__proto__[]=b');
    assert.deepEqual(Reflect.get(decoded, '__proto__'), ['a', 'b']);
    assert.equal(Object.hasOwn(Object.prototype, '0'), false);
  });
});

describe('decodeForm: conflicts', () => {
  const cases: [string, string, string][] = [
    ['a value, then a hash', 'a=1&a[b]=2', 'a'],
    ['a hash, then a value', 'a[b]=2&a=1', 'a'],
    ['a value, then an array', 'a=1&a[]=2', 'a'],
    ['an array, then a value', 'a[]=1&a=2', 'a'],
    ['an array, then a hash', 'a[]=1&a[b]=2', 'a'],
    ['a hash, then an array', 'a[b]=1&a[]=2', 'a'],
    ['a nested value, then a deeper hash', 'a[b]=1&a[b][c]=2', 'a[b]'],
    ['a nested hash, then a value', 'a[b][c]=2&a[b]=1', 'a[b]'],
  ];
  for (const [name, input, param] of cases)
    test(name, () => {
      rejects(input, param);
    });

  test('an array of arrays (`a[][]`) is rejected', () => {
    rejects('a[][]=1');
  });
  test('an index-keyed hash, then `[]`, is rejected', () => {
    rejects('a[0]=x&a[]=y', 'a');
  });
});

describe('decodeForm: limits', () => {
  test('the default limits are 2000 pairs and 8 levels', () => {
    assert.deepEqual(DEFAULT_LIMITS, { maxPairs: 2000, maxDepth: 8 });
  });

  test('8 levels of nesting are accepted', () => {
    decodes('a[b][c][d][e][f][g][h]=1', { a: { b: { c: { d: { e: { f: { g: { h: '1' } } } } } } } });
  });

  test('9 levels of nesting are rejected', () => {
    rejects('a[b][c][d][e][f][g][h][i]=1');
  });
  test('9 levels of `[]` nesting are rejected', () => {
    rejects('a[][][][][][][][]=1');
  });
  test('very deep nesting is rejected', () => {
    rejects(`a${'[x]'.repeat(1000)}=1`);
  });
  test('deep nesting written with encoded brackets is rejected', () => {
    rejects(`a${'%5Bx%5D'.repeat(20)}=1`);
  });

  test('2000 pairs are accepted', () => {
    const input = Array.from({ length: 2000 }, (_, i) => `metadata[k${i}]=v`).join('&');
    assert.equal(Object.keys(decodeForm(input).metadata as object).length, 2000);
  });

  test('2001 pairs are rejected', () => {
    rejects(Array.from({ length: 2001 }, (_, i) => `k${i}=v`).join('&'));
  });

  test('100000 `[]` pairs are rejected', () => {
    rejects('expand[]=a&'.repeat(100_000));
  });

  test('custom limits apply', () => {
    const limits = { maxPairs: 3, maxDepth: 2 };
    assert.deepEqual(plain(decodeForm('a[b]=1&c=2&d=3', limits)), { a: { b: '1' }, c: '2', d: '3' });
    rejects('a=1&b=2&c=3&d=4', undefined, limits);
    rejects('a[b][c]=1', undefined, limits);
  });
});

describe('decodeForm: invalid percent-encoding and UTF-8', () => {
  const cases: [string, string][] = [
    ['a lone invalid byte (%FF) as a value', 'name=%FF'],
    ['a lone invalid byte (%FF) as a key', '%FF=1'],
    ['a truncated 3-byte sequence (%E0%A4)', 'name=%E0%A4'],
    ['a truncated sequence as a key', '%E0%A4=1'],
    ['a truncated sequence inside brackets', 'metadata[%E0%A4]=1'],
    ['an overlong encoding (%C0%AF)', 'name=%C0%AF'],
    ['an encoded UTF-16 surrogate (%ED%A0%80)', 'name=%ED%A0%80'],
    ['a continuation byte alone (%80)', 'name=%80'],
    ['a bare %', 'name=100%'],
    ['% followed by one hex digit', 'name=%4'],
    ['% followed by non-hex', 'name=%ZZ'],
    ['invalid encoding after a valid pair', 'a=1&b=%FF'],
  ];
  for (const [name, input] of cases)
    test(name, () => {
      rejects(input);
    });

  test('the message does not echo more than a bounded slice of the input', () => {
    const error = rejects(`name=%FF${'a'.repeat(10_000)}`);
    assert.ok(error.body.message.length < 1000, `message is ${error.body.message.length} characters`);
  });
});
