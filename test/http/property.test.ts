import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeForm } from '../../src/api/form.ts';
import { asWire } from '../support/refusal.ts';
import { call, startServer, type TestServer } from '../support/server.ts';

const ERROR_TYPES = new Set(['api_error', 'card_error', 'idempotency_error', 'invalid_request_error']);

/** decodeForm either answers a plain object or throws a 400 refusal; `undefined` if it threw. */
function decodeOr400(input: string): object | undefined {
  try {
    const decoded = decodeForm(input);
    assert.equal(typeof decoded, 'object');
    assert.notEqual(decoded, null);
    assert.ok(!Array.isArray(decoded));
    return decoded;
  } catch (error) {
    const wire = asWire(error);
    if (wire && wire.status === 400 && wire.body.type === 'invalid_request_error') {
      return undefined;
    }
    throw error;
  }
}

const letter = fc.constantFrom(...'abcxyzAZ_'.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
/** Pieces that stress the decoder: brackets raw and encoded, escapes valid and not, separators. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('[', ']', '[]', '%', '=', '&', '+') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('%FF', '%E0%A4', '%5B', '%5D', '%5b', '%26', '%3D', '%00', '%C3%A9', '%2'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('metadata', 'address', '__proto__', 'constructor', 'prototype', 'toString'),
  },
  { weight: 4, arbitrary: letter },
  { weight: 2, arbitrary: digit },
);
const formish = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));

const raw = (s: string) => s;
const encodeBrackets = (s: string) => s.replace(/\[/g, '%5B').replace(/\]/g, '%5D');

describe('decodeForm properties', () => {
  test('any string: an object or a 400 refusal, never another exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ unit: 'binary' }),
          formish,
        ),
        (input) => {
          decodeOr400(input);
        },
      ),
      { numRuns: 3000 },
    );
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    assert.equal(({} as Record<string, unknown>).prototype, undefined);
  });

  test('raw and percent-encoded brackets always mean the same', () => {
    fc.assert(
      fc.property(formish, (input) => {
        const a = decodeOr400(raw(input));
        const b = decodeOr400(encodeBrackets(input));
        assert.deepEqual(JSON.stringify(b), JSON.stringify(a));
      }),
      { numRuns: 2000 },
    );
  });

  test('flat pairs encoded with encodeURIComponent decode back to themselves', () => {
    const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => !/[[\]]/.test(k));
    const value = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 10 }), (record) => {
        const body = Object.entries(record)
          .map(([k, v]) => `metadata[${encodeURIComponent(k)}]=${encodeURIComponent(v)}`)
          .join('&');
        const decoded = decodeForm(body);
        assert.deepEqual(
          JSON.parse(JSON.stringify(decoded.metadata ?? {})),
          JSON.parse(JSON.stringify(record)),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

/** Customer params, plus near misses, weighted towards the ones with the most rules. */
const key = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'name',
      'email',
      'description',
      'phone',
      'balance',
      'tax_exempt',
      'validate',
      'invoice_prefix',
      'next_invoice_sequence',
      'business_name',
      'individual_name',
      'preferred_locales[]',
      'preferred_locales[0]',
      'preferred_locales[1]',
      'expand[]',
      'metadata',
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'address',
      'address[city]',
      'address[country]',
      'address[line1]',
      'address[foo]',
      'shipping',
      'shipping[name]',
      'shipping[phone]',
      'shipping[address][city]',
      'shipping[address][country]',
      'invoice_settings',
      'invoice_settings[footer]',
      'invoice_settings[default_payment_method]',
      'invoice_settings[custom_fields]',
      'invoice_settings[custom_fields][0][name]',
      'invoice_settings[custom_fields][0][value]',
      'invoice_settings[custom_fields][][name]',
      'invoice_settings[rendering_options]',
      'invoice_settings[rendering_options][amount_tax_display]',
      'invoice_settings[rendering_options][template]',
      'tax[validate_location]',
      'tax[ip_address]',
      'cash_balance[settings][reconciliation_mode]',
      'test_clock',
      'source',
      'payment_method',
      'default_source',
    ),
  },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }).map((k) => `metadata[${k}]`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', '__proto__[x]', 'constructor[prototype]', 'metadata[__proto__]'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

const value = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '',
      'true',
      'false',
      '0',
      '1',
      '-1',
      '1.5',
      '9007199254740993',
      'abc',
      'FR',
      'fr',
      'en',
      'en-US',
      'exempt',
      'none',
      'reverse',
      'auto',
      'manual',
      'exclude_tax',
      'ABC123',
      'jenny@example.com',
      'test_clock',
      'bogus',
      'invoice_settings.default_payment_method',
      'a.b.c.d.e',
      '__proto__',
      'x'.repeat(600),
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom('a', '@', '.', '[', ']', '=', '&', '%', ' ', '\u0000', 'é', '😀'), {
        maxLength: 8,
      })
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** One `key=value` pair, brackets raw or encoded, sometimes with a raw escape appended. */
const pair = fc
  .record({
    key,
    value,
    encodeKey: fc.boolean(),
    suffix: fc.oneof(
      { weight: 8, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('%FF', '%', '%5B') },
    ),
  })
  .map(({ key, value, encodeKey, suffix }) => {
    const k = encodeKey ? encodeURIComponent(key) : key.replace(/[&=%+#]/g, encodeURIComponent);
    return `${k}=${encodeURIComponent(value)}${suffix}`;
  });

const body = fc.oneof(
  { weight: 8, arbitrary: fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&')) },
  { weight: 1, arbitrary: formish },
  { weight: 1, arbitrary: fc.string() },
);

/** Text with the characters most likely to trip an encoder or a database: controls, NUL, escapes. */
const trickyText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          '\u0000',
          '\u0001',
          '\u001f',
          '\u007f',
          '\t',
          '\n',
          ' ',
          '+',
          '%',
          '%25',
          '&',
          '=',
          '[',
          ']',
          '"',
          '\\',
          "'",
          '<',
          'é',
          '😀',
          '\u200b',
          '\ufeff',
        ),
      },
    ),
    { maxLength: 8 },
  )
  // Framed by letters so leading or trailing blanks are never in question.
  .map((parts) => `x${parts.join('')}x`);

const emailPart = trickyText.filter((part) => /^[^\s@]+$/.test(part));

describe('random form bodies against a real server', () => {
  let server: TestServer;
  let customerId: string;

  before(async () => {
    server = await startServer();
    const created = await call(server, 'POST', '/v1/customers', { body: 'name=Property' });
    assert.equal(created.status, 200);
    customerId = created.json.id as string;
  });
  after(() => server.close());

  async function check(path: string, form: string): Promise<void> {
    const response = await call(server, 'POST', path, { body: form });
    const shown = `POST ${path} ${JSON.stringify(form)} → ${response.status} ${JSON.stringify(response.json).slice(0, 300)}`;
    assert.match(response.headers.get('request-id') ?? '', /^req_/, shown);
    if (response.status === 200) {
      assert.equal(response.json.object, 'customer', shown);
      assert.match(String(response.json.id), /^cus_/, shown);
      return;
    }
    assert.ok(response.status >= 400 && response.status < 500, shown);
    const error = response.json.error;
    assert.ok(error && ERROR_TYPES.has(error.type!), shown);
    assert.equal(typeof error.message, 'string', shown);
  }

  test('POST /v1/customers: 200 with a customer or a Stripe-shaped 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(body, (form) => check('/v1/customers', form)),
      { numRuns: 200 },
    );
  });

  test('arbitrary text in string fields is stored exactly, or refused with a 4xx, never a 5xx', async () => {
    const fields = fc.record({
      name: trickyText,
      description: trickyText,
      email: fc.tuple(emailPart, emailPart).map(([local, domain]) => `${local}@${domain}.com`),
      line1: trickyText,
      metaKey: trickyText.filter((k) => k.length <= 40 && !/[[\]]/.test(k)),
      metaValue: trickyText,
    });
    await fc.assert(
      fc.asyncProperty(fields, async (f) => {
        const form = [
          ['name', f.name],
          ['description', f.description],
          ['email', f.email],
          ['address[line1]', f.line1],
          [`metadata[${f.metaKey}]`, f.metaValue],
        ]
          .map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`)
          .join('&');
        await check('/v1/customers', form);
        const response = await call(server, 'POST', `/v1/customers/${customerId}`, { body: form });
        const shown = `${JSON.stringify(f)} → ${response.status} ${JSON.stringify(response.json).slice(0, 300)}`;
        assert.ok(response.status < 500, shown);
        if (response.status !== 200) return;
        assert.equal(response.json.name, f.name, shown);
        assert.equal(response.json.description, f.description, shown);
        assert.equal(response.json.email, f.email, shown);
        assert.equal((response.json.address as { line1: string }).line1, f.line1, shown);
        assert.equal((response.json.metadata as Record<string, string>)[f.metaKey], f.metaValue, shown);
        const fetched = await call(server, 'GET', `/v1/customers/${customerId}`);
        assert.equal(fetched.json.email, f.email, shown);
        assert.equal(fetched.json.name, f.name, shown);
      }),
      { numRuns: 100 },
    );
  });

  test('POST /v1/customers/:id: 200 with a customer or a Stripe-shaped 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(body, (form) => check(`/v1/customers/${customerId}`, form)),
      { numRuns: 200 },
    );
    // The customer survived every update, valid or not.
    const fetched = await call(server, 'GET', `/v1/customers/${customerId}`);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.json.id, customerId);
  });
});
