import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WireError } from '../../src/api/error-messages.ts';
import {
  createCustomerParams,
  listCustomerParams,
  updateCustomerParams,
} from '../../src/billing/customers/params.ts';
import { p, type Schema } from '../../src/core/params.ts';
import { listEventParams } from '../../src/events/service.ts';
import { asWire } from '../support/refusal.ts';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

interface Expected {
  code: string | undefined;
  param: string;
  message?: string | RegExp;
}

function parseError(schema: Schema<unknown>, value: unknown, path: string): WireError {
  try {
    const parsed = schema.parse(value, path);
    assert.fail(`expected an ApiError for ${JSON.stringify(value)}, parsed ${JSON.stringify(parsed)}`);
  } catch (error) {
    const wire = asWire(error);
    if (!wire) throw error;
    return wire;
  }
}

/** Asserts the whole Stripe error: status, type, code (absent when undefined) and param. */
function fails(schema: Schema<unknown>, value: unknown, expected: Expected, path = 'x'): void {
  const error = parseError(schema, value, path);
  assert.equal(error.status, 400);
  assert.equal(error.body.type, 'invalid_request_error');
  assert.equal(error.body.code, expected.code, `code for ${JSON.stringify(value)}`);
  assert.equal(error.body.param, expected.param, `param for ${JSON.stringify(value)}`);
  if (typeof expected.message === 'string') assert.equal(error.body.message, expected.message);
  else if (expected.message) assert.match(error.body.message, expected.message);
}

const emptyMessage = (param: string) =>
  `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`;

describe('integer', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['007', 7],
    ['9007199254740991', 9007199254740991],
  ];
  for (const [input, expected] of ok) {
    test(`${input} → ${expected}`, () => assert.equal(p.integer().parse(input, 'balance'), expected));
  }

  const bad = [
    'abc',
    '1.5',
    '1e3',
    ' 1',
    '1 ',
    '0x10',
    '+1',
    '--1',
    '9007199254740993',
    '12345678901234567',
    'NaN',
  ];
  for (const input of bad) {
    test(`${JSON.stringify(input)} → parameter_invalid_integer`, () =>
      fails(
        p.integer(),
        input,
        {
          code: 'parameter_invalid_integer',
          param: 'balance',
          message: `Invalid integer: ${input}`,
        },
        'balance',
      ));
  }

  test('a hash is rejected with the param', () =>
    fails(p.integer(), { a: '1' }, { code: undefined, param: 'balance' }, 'balance'));

  test('min and max bound the value', () => {
    const limit = p.integer({ min: 1, max: 100 });
    assert.equal(limit.parse('1', 'limit'), 1);
    assert.equal(limit.parse('100', 'limit'), 100);
    for (const input of ['0', '-1', '101']) {
      const error = parseError(limit, input, 'limit');
      assert.equal(error.status, 400);
      assert.equal(error.body.type, 'invalid_request_error');
      assert.equal(error.body.param, 'limit');
    }
  });

  test("'' on an integer is parameter_invalid_empty, not an invalid integer", () =>
    fails(
      p.integer(),
      '',
      { code: 'parameter_invalid_empty', param: 'balance', message: emptyMessage('balance') },
      'balance',
    ));
});

describe('boolean', () => {
  test('true and false', () => {
    assert.equal(p.boolean().parse('true', 'validate'), true);
    assert.equal(p.boolean().parse('false', 'validate'), false);
  });
  for (const input of ['x', 'TRUE', 'False', '1', '0', 'yes', 'on']) {
    test(`${JSON.stringify(input)} → Invalid boolean`, () =>
      fails(
        p.boolean(),
        input,
        { code: undefined, param: 'validate', message: `Invalid boolean: ${input}` },
        'validate',
      ));
  }
  test("'' on a boolean is parameter_invalid_empty", () =>
    fails(
      p.boolean(),
      '',
      { code: 'parameter_invalid_empty', param: 'validate', message: emptyMessage('validate') },
      'validate',
    ));
});

describe('enumOf', () => {
  const taxExempt = p.enumOf(['exempt', 'none', 'reverse']);
  test('accepts each value', () => {
    for (const v of ['exempt', 'none', 'reverse']) assert.equal(taxExempt.parse(v, 'tax_exempt'), v);
  });
  test('a value outside the set names the choices', () =>
    fails(
      taxExempt,
      'maybe',
      {
        code: undefined,
        param: 'tax_exempt',
        message: 'Invalid tax_exempt: must be one of exempt, none, or reverse',
      },
      'tax_exempt',
    ));
  test('two choices read "a or b"', () =>
    fails(p.enumOf(['a', 'b']), 'c', {
      code: undefined,
      param: 'x',
      message: 'Invalid x: must be one of a or b',
    }));
  test('matching is case-sensitive', () =>
    fails(taxExempt, 'NONE', { code: undefined, param: 'tax_exempt' }, 'tax_exempt'));
  test("'' is parameter_invalid_empty", () =>
    fails(
      taxExempt,
      '',
      { code: 'parameter_invalid_empty', param: 'tax_exempt', message: emptyMessage('tax_exempt') },
      'tax_exempt',
    ));
  test("clearable enum: '' → null", () => assert.equal(p.clearable(taxExempt).parse('', 'tax_exempt'), null));
});

describe('string', () => {
  test('accepts up to max characters', () => {
    assert.equal(p.string({ max: 5 }).parse('abcde', 'name'), 'abcde');
    assert.equal(p.string().parse('a'.repeat(5000), 'name'), 'a'.repeat(5000));
  });
  test('max + 1 is parameter_invalid_string_too_long', () =>
    fails(
      p.string({ max: 5 }),
      'abcdef',
      {
        code: 'parameter_invalid_string_too_long',
        param: 'name',
        message: 'Invalid string: name must be at most 5 characters long.',
      },
      'name',
    ));
  test('the default limit is 5000 characters', () =>
    fails(
      p.string(),
      'a'.repeat(5001),
      { code: 'parameter_invalid_string_too_long', param: 'name' },
      'name',
    ));
  test("'' on a non-clearable string is parameter_invalid_empty", () =>
    fails(
      p.string(),
      '',
      { code: 'parameter_invalid_empty', param: 'source', message: emptyMessage('source') },
      'source',
    ));
  test("clearable string: '' → null, a value passes", () => {
    assert.equal(p.clearable(p.string()).parse('', 'name'), null);
    assert.equal(p.clearable(p.string()).parse('Jenny', 'name'), 'Jenny');
  });
  test('a hash where a string is expected is rejected with the param', () =>
    fails(p.string(), { x: '1' }, { code: undefined, param: 'address[city]' }, 'address[city]'));
  test('an array where a string is expected is rejected with the param', () =>
    fails(p.string(), ['a'], { code: undefined, param: 'name' }, 'name'));
  test('a pattern rejects with its message', () =>
    fails(
      p.string({ pattern: /^[A-Z]{3}$/, invalid: 'invoice_prefix_invalid' }),
      'abc',
      {
        code: undefined,
        param: 'invoice_prefix',
        message: 'Invalid invoice_prefix: must be 3 to 12 upper-case letters or digits',
      },
      'invoice_prefix',
    ));
});

describe('object', () => {
  test('unknown top-level key → parameter_unknown', () =>
    fails(
      createCustomerParams,
      { nmae: 'Jenny' },
      {
        code: 'parameter_unknown',
        param: 'nmae',
        message: 'Received unknown parameter: nmae',
      },
      '',
    ));

  test('unknown nested key → parameter_unknown with bracket path', () =>
    fails(
      createCustomerParams,
      { address: { city: 'Paris', foo: 'x' } },
      {
        code: 'parameter_unknown',
        param: 'address[foo]',
        message: 'Received unknown parameter: address[foo]',
      },
      '',
    ));

  test('unknown key two levels deep', () =>
    fails(
      updateCustomerParams,
      { invoice_settings: { rendering_options: { bogus: '1' } } },
      {
        code: 'parameter_unknown',
        param: 'invoice_settings[rendering_options][bogus]',
      },
      '',
    ));

  test('__proto__ and constructor are unknown params, not special', () => {
    fails(
      createCustomerParams,
      JSON.parse('{"__proto__":{"x":"1"}}'),
      { code: 'parameter_unknown', param: '__proto__' },
      '',
    );
    fails(
      createCustomerParams,
      { constructor: 'x' },
      { code: 'parameter_unknown', param: 'constructor' },
      '',
    );
    fails(
      createCustomerParams,
      { address: { toString: 'x' } },
      { code: 'parameter_unknown', param: 'address[toString]' },
      '',
    );
  });

  test('missing required nested param → parameter_missing with bracket path', () =>
    fails(
      createCustomerParams,
      { shipping: { address: { city: 'Paris' } } },
      {
        code: 'parameter_missing',
        param: 'shipping[name]',
        message: 'Missing required param: shipping[name].',
      },
      '',
    ));

  test('missing required shipping[address]', () =>
    fails(
      createCustomerParams,
      { shipping: { name: 'Jenny' } },
      { code: 'parameter_missing', param: 'shipping[address]' },
      '',
    ));

  test('missing required param inside an array element', () =>
    fails(
      updateCustomerParams,
      { invoice_settings: { custom_fields: { 0: { name: 'PO' } } } },
      {
        code: 'parameter_missing',
        param: 'invoice_settings[custom_fields][0][value]',
      },
      '',
    ));

  test("'' on a non-clearable hash is parameter_invalid_empty", () =>
    fails(
      createCustomerParams,
      { invoice_settings: '' },
      {
        code: 'parameter_invalid_empty',
        param: 'invoice_settings',
        message: emptyMessage('invoice_settings'),
      },
      '',
    ));

  test("'' on a clearable hash → null", () => {
    const parsed = updateCustomerParams.parse({ address: '', shipping: '' }, '');
    assert.deepEqual(plain(parsed), { address: null, shipping: null });
  });

  test('a scalar where a hash is expected is rejected with the param', () =>
    fails(createCustomerParams, { address: 'Paris' }, { code: undefined, param: 'address' }, ''));

  test('a hash value where a scalar is expected (address[city][x]) is rejected', () =>
    fails(
      createCustomerParams,
      { address: { city: { x: '1' } } },
      { code: undefined, param: 'address[city]' },
      '',
    ));

  test('a full valid create is coerced', () => {
    const parsed = createCustomerParams.parse(
      {
        balance: '-250',
        validate: 'false',
        tax_exempt: 'reverse',
        address: { city: 'Paris', line2: '' },
        shipping: { name: 'Jenny', address: { country: 'FR' }, phone: '' },
        preferred_locales: { 1: 'fr', 0: 'en' },
        metadata: { plan: 'pro', gone: '' },
        expand: ['test_clock'],
      },
      '',
    );
    assert.deepEqual(plain(parsed), {
      balance: -250,
      validate: false,
      tax_exempt: 'reverse',
      address: { city: 'Paris', line2: null },
      shipping: { name: 'Jenny', address: { country: 'FR' }, phone: null },
      preferred_locales: ['en', 'fr'],
      metadata: { plan: 'pro', gone: null },
      expand: ['test_clock'],
    });
  });

  test('absent optional params stay absent', () => {
    assert.deepEqual(plain(createCustomerParams.parse({}, '')), {});
  });
});

describe('array', () => {
  const strings = p.array(p.string());
  test('from a real array (`a[]=`)', () =>
    assert.deepEqual(strings.parse(['a', 'b', 'c'], 'expand'), ['a', 'b', 'c']));
  test('from index keys, sorted numerically not lexically', () => {
    const value = { 10: 'k', 2: 'c', 0: 'a', 1: 'b', 3: 'd', 4: 'e', 5: 'f', 6: 'g', 7: 'h', 8: 'i', 9: 'j' };
    assert.deepEqual(strings.parse(value, 'expand'), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  });
  test('from index keys on a prototype-less object (as the decoder gives)', () => {
    const value = Object.assign(Object.create(null), { 1: 'b', 0: 'a' });
    assert.deepEqual(strings.parse(value, 'expand'), ['a', 'b']);
  });
  test('an empty array', () => assert.deepEqual(strings.parse([], 'expand'), []));
  test('the element path is used in element errors', () =>
    fails(
      p.array(p.integer()),
      { 0: '1', 1: 'x' },
      { code: 'parameter_invalid_integer', param: 'n[1]' },
      'n',
    ));
  test('non-index keys are rejected', () =>
    fails(strings, { foo: 'a' }, { code: undefined, param: 'expand' }, 'expand'));
  test('at most max elements', () => {
    const three = p.array(p.string(), { max: 3 });
    assert.deepEqual(three.parse(['a', 'b', 'c'], 'x'), ['a', 'b', 'c']);
    fails(three, ['a', 'b', 'c', 'd'], { code: undefined, param: 'x' });
    fails(three, { 0: 'a', 1: 'b', 2: 'c', 3: 'd' }, { code: undefined, param: 'x' });
  });
  test('the default max is 100', () => {
    assert.equal(strings.parse(Array(100).fill('a'), 'expand').length, 100);
    fails(strings, Array(101).fill('a'), { code: undefined, param: 'expand' }, 'expand');
  });
  test('5000 elements are rejected', () =>
    fails(strings, Array(5000).fill('a'), { code: undefined, param: 'expand' }, 'expand'));
  test('preferred_locales allows at most 20', () =>
    fails(
      createCustomerParams,
      { preferred_locales: Array(21).fill('en') },
      { code: undefined, param: 'preferred_locales' },
      '',
    ));
  test("'' on a non-clearable array is parameter_invalid_empty", () =>
    fails(strings, '', { code: 'parameter_invalid_empty', param: 'expand' }, 'expand'));
  test("'' on a clearable array → null", () =>
    assert.equal(p.clearable(strings).parse('', 'preferred_locales'), null));
  test('a scalar is not an array', () => fails(strings, 'a', { code: undefined, param: 'expand' }, 'expand'));
});

describe('metadata', () => {
  const md = p.metadata();
  const keys = (n: number, prefix = 'k') =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));

  test('50 keys are accepted', () => assert.equal(Object.keys(md.parse(keys(50), 'metadata')!).length, 50));
  test('51 keys are rejected', () => fails(md, keys(51), { code: undefined, param: 'metadata' }, 'metadata'));
  test('a 40-character key is accepted', () => {
    const key = 'k'.repeat(40);
    assert.deepEqual(plain(md.parse({ [key]: 'v' }, 'metadata')), { [key]: 'v' });
  });
  test('a 41-character key is rejected with its path', () => {
    const key = 'k'.repeat(41);
    fails(md, { [key]: 'v' }, { code: undefined, param: `metadata[${key}]` }, 'metadata');
  });
  test('a 500-character value is accepted', () =>
    assert.equal(md.parse({ a: 'v'.repeat(500) }, 'metadata')!.a, 'v'.repeat(500)));
  test('a 501-character value is rejected with its path', () =>
    fails(md, { note: 'v'.repeat(501) }, { code: undefined, param: 'metadata[note]' }, 'metadata'));
  test("k='' deletes that key (null)", () =>
    assert.deepEqual(plain(md.parse({ a: '', b: 'x' }, 'metadata')), { a: null, b: 'x' }));
  test("metadata='' clears everything (null)", () => assert.equal(md.parse('', 'metadata'), null));
  test('a nested hash value is rejected with its path', () =>
    fails(md, { a: { b: '1' } }, { code: undefined, param: 'metadata[a]' }, 'metadata'));
  test('an array value is rejected with its path', () =>
    fails(md, { a: ['1'] }, { code: undefined, param: 'metadata[a]' }, 'metadata'));
  test('a string instead of a hash is rejected', () =>
    fails(md, 'str', { code: undefined, param: 'metadata' }, 'metadata'));
  test('an array instead of a hash is rejected', () =>
    fails(md, ['a'], { code: undefined, param: 'metadata' }, 'metadata'));
  test('__proto__ is an ordinary metadata key', () => {
    const parsed = md.parse(JSON.parse('{"__proto__":"x","constructor":"y"}'), 'metadata')!;
    assert.equal(Object.hasOwn(parsed, '__proto__'), true);
    assert.deepEqual(plain(parsed), JSON.parse('{"__proto__":"x","constructor":"y"}'));
  });
});

describe('range (created filters)', () => {
  const created = p.range();
  test('created=5 is an exact second', () => assert.equal(created.parse('5', 'created'), 5));
  test('bounds', () =>
    assert.deepEqual(plain(created.parse({ gte: '10', lt: '20' }, 'created')), { gte: 10, lt: 20 }));
  test('all four bounds', () =>
    assert.deepEqual(plain(created.parse({ gt: '1', gte: '2', lt: '4', lte: '3' }, 'created')), {
      gt: 1,
      gte: 2,
      lt: 4,
      lte: 3,
    }));
  test('a non-integer exact value', () =>
    fails(
      created,
      'abc',
      { code: 'parameter_invalid_integer', param: 'created', message: 'Invalid integer: abc' },
      'created',
    ));
  test('a non-integer bound', () =>
    fails(created, { gte: 'x' }, { code: 'parameter_invalid_integer', param: 'created[gte]' }, 'created'));
  test('an unknown bound', () =>
    fails(created, { foo: '1' }, { code: 'parameter_unknown', param: 'created[foo]' }, 'created'));
  test('a negative time is rejected', () => {
    const error = parseError(created, '-1', 'created');
    assert.equal(error.status, 400);
    assert.equal(error.body.param, 'created');
  });
  test("created[gte]='' is parameter_invalid_empty", () =>
    fails(created, { gte: '' }, { code: 'parameter_invalid_empty', param: 'created[gte]' }, 'created'));
  test("created='' is parameter_invalid_empty", () =>
    fails(created, '', { code: 'parameter_invalid_empty', param: 'created' }, 'created'));
  test('through the customer list schema', () => {
    assert.deepEqual(plain(listCustomerParams.parse({ created: { lte: '99' }, limit: '3' }, '')), {
      created: { lte: 99 },
      limit: 3,
    });
    fails(
      listCustomerParams,
      { created: { after: '1' } },
      { code: 'parameter_unknown', param: 'created[after]' },
      '',
    );
  });
});

describe('list params', () => {
  for (const [name, schema] of [
    ['customers', listCustomerParams],
    ['events', listEventParams],
  ] as const) {
    test(`${name}: limit=abc → parameter_invalid_integer`, () =>
      fails(schema, { limit: 'abc' }, { code: 'parameter_invalid_integer', param: 'limit' }, ''));
    test(`${name}: limit=0 and limit=101 are rejected with param limit`, () => {
      for (const limit of ['0', '101']) {
        const error = parseError(schema, { limit }, '');
        assert.equal(error.status, 400);
        assert.equal(error.body.type, 'invalid_request_error');
        assert.equal(error.body.param, 'limit');
      }
    });
    test(`${name}: limit=1 and limit=100 are accepted`, () => {
      assert.equal((schema.parse({ limit: '1' }, '') as { limit: number }).limit, 1);
      assert.equal((schema.parse({ limit: '100' }, '') as { limit: number }).limit, 100);
    });
  }
});
