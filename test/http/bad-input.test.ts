import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startServer, type TestServer } from '../support/server.ts';

type Init = Parameters<typeof call>[3];
type Response = Awaited<ReturnType<typeof call>>;

const ERROR_TYPES = ['api_error', 'card_error', 'idempotency_error', 'invalid_request_error'];

/**
 * One raw request, with what every response must satisfy: a `Request-Id: req_…` header, never a
 * 5xx, and errors in Stripe's shape.
 */
async function send(server: TestServer, method: string, path: string, init: Init = {}): Promise<Response> {
  const response = await call(server, method, path, init);
  const label = `${method} ${path.length > 80 ? `${path.slice(0, 80)}…` : path}`;
  assert.ok(response.status < 500, `${label} answered ${response.status}: ${JSON.stringify(response.json)}`);
  assert.match(response.headers.get('request-id') ?? '', /^req_[A-Za-z0-9]+$/, `${label}: Request-Id header`);
  if (response.status >= 400) {
    const error = response.json.error;
    assert.ok(
      error && typeof error === 'object',
      `${label}: an error object, got ${JSON.stringify(response.json)}`,
    );
    assert.ok(ERROR_TYPES.includes(error.type!), `${label}: error.type ${error.type}`);
    assert.equal(typeof error.message, 'string', `${label}: error.message`);
  }
  return response;
}

interface ExpectedError {
  status: number;
  type?: string;
  code?: string | undefined;
  param?: string | undefined;
  message?: string | RegExp;
}

/** Asserts status, type and, when given (even as undefined), code and param exactly. */
function expectError(response: Response, expected: ExpectedError): void {
  const error = response.json.error!;
  assert.equal(response.status, expected.status, JSON.stringify(response.json));
  assert.equal(error.type, expected.type ?? 'invalid_request_error');
  if ('code' in expected) assert.equal(error.code, expected.code, JSON.stringify(error));
  if ('param' in expected) assert.equal(error.param, expected.param, JSON.stringify(error));
  if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
  else if (expected.message) assert.match(error.message!, expected.message);
  assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/json');
}

const post = (body: string | Buffer, headers?: Record<string, string>): Init => ({ body, headers });

describe('bad input: Stripe-shaped errors and nothing written', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  describe('malformed form bodies', () => {
    const cases: [string, string, ExpectedError][] = [
      ['a bare %', '%', { status: 400 }],
      ['a truncated escape in a value', 'name=%', { status: 400 }],
      ['a non-hex escape', 'name=%ZZ', { status: 400 }],
      ['percent-encoded invalid UTF-8 (%FF)', 'name=%FF', { status: 400 }],
      ['percent-encoded truncated UTF-8 (%E0%A4)', 'name=%E0%A4', { status: 400 }],
      ['invalid encoding in a key', 'metadata[%FF]=1', { status: 400 }],
      ['a value then a hash under one name', 'name=a&name[x]=b', { status: 400 }],
      ['a hash then an array under one name', 'metadata[a]=1&metadata[]=2', { status: 400 }],
      [
        'an unmatched bracket is an unknown param',
        'name[=x',
        { status: 400, code: 'parameter_unknown', param: 'name[' },
      ],
      ['`[]` alone as a key', '[]=1', { status: 400, code: 'parameter_unknown', param: '[]' }],
      [
        'text after the brackets',
        'address[city]x=1',
        { status: 400, code: 'parameter_unknown', param: 'address[city]x' },
      ],
      [
        'a JSON document sent as a form',
        '{"name":"Jenny"}',
        { status: 400, code: 'parameter_unknown', param: '{"name":"Jenny"}' },
      ],
    ];
    for (const [name, body, expected] of cases) {
      test(name, async () => expectError(await send(server, 'POST', '/v1/customers', post(body)), expected));
    }

    test('invalid UTF-8 bytes in the body → 400', async () => {
      const bodies = [
        Buffer.from([...Buffer.from('name='), 0xff, 0xfe]),
        Buffer.from([...Buffer.from('name=a'), 0xe0, 0xa4]),
        Buffer.from([...Buffer.from('name='), 0xc0, 0xaf]),
        Buffer.from([...Buffer.from('metadata['), 0x80, ...Buffer.from(']=x')]),
      ];
      for (const body of bodies) {
        const response = await send(server, 'POST', '/v1/customers', post(body));
        expectError(response, { status: 400, code: undefined, message: /UTF-8/ });
      }
    });

    test('invalid UTF-8 bytes in an update body → 400 before the id is looked up', async () => {
      const body = Buffer.from([...Buffer.from('name='), 0xff]);
      expectError(await send(server, 'POST', '/v1/customers/cus_nope', post(body)), { status: 400 });
    });

    test('invalid percent-encoding in the query string → 400', async () => {
      expectError(await send(server, 'GET', '/v1/customers?limit=%'), { status: 400 });
      expectError(await send(server, 'GET', '/v1/customers?email=%FF'), { status: 400 });
      expectError(await send(server, 'GET', '/v1/events?type=%E0%A4'), { status: 400 });
    });
  });

  describe('content types', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      test(`${type} body → 400 naming form encoding`, async () => {
        const body = type.startsWith('multipart')
          ? '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nJ\r\n--x--\r\n'
          : '{"name":"Jenny"}';
        const response = await send(server, 'POST', '/v1/customers', post(body, { 'content-type': type }));
        expectError(response, {
          status: 400,
          code: undefined,
          param: undefined,
          message: /application\/x-www-form-urlencoded/,
        });
      });
    }

    test('a JSON body on an update → 400 naming form encoding', async () => {
      const response = await send(
        server,
        'POST',
        '/v1/customers/cus_nope',
        post('{"name":"Jenny"}', { 'content-type': 'application/json' }),
      );
      expectError(response, { status: 400, message: /application\/x-www-form-urlencoded/ });
    });
  });

  describe('body size', () => {
    test('a body over 1 MiB → 413 Stripe-shaped error', async () => {
      const response = await send(
        server,
        'POST',
        '/v1/customers',
        post(`description=${'a'.repeat(1024 * 1024)}`),
      );
      expectError(response, { status: 413, code: undefined, message: /too large/i });
    });

    test('a 4 MiB body → 413 Stripe-shaped error', async () => {
      const response = await send(
        server,
        'POST',
        '/v1/customers',
        post(`metadata[a]=${'a'.repeat(4 * 1024 * 1024)}`),
      );
      expectError(response, { status: 413, message: /too large/i });
    });

    test('a JSON body over 1 MiB → 413 Stripe-shaped error', async () => {
      const body = `{"description":"${'a'.repeat(1024 * 1024)}"}`;
      const response = await send(
        server,
        'POST',
        '/v1/customers',
        post(body, { 'content-type': 'application/json' }),
      );
      expectError(response, { status: 413 });
    });

    test('a body of exactly 1 MiB is read and validated', async () => {
      const prefix = 'description=';
      const response = await send(
        server,
        'POST',
        '/v1/customers',
        post(prefix + 'a'.repeat(1024 * 1024 - prefix.length)),
      );
      expectError(response, { status: 400, code: 'parameter_invalid_string_too_long', param: 'description' });
    });
  });

  describe('nesting and sizes', () => {
    test('9 levels of nesting → 400', async () => {
      const response = await send(
        server,
        'POST',
        '/v1/customers',
        post('metadata[a][b][c][d][e][f][g][h]=1'),
      );
      expectError(response, { status: 400 });
    });

    test('1000 levels of nesting → 400', async () => {
      const response = await send(server, 'POST', '/v1/customers', post(`address${'[city]'.repeat(1000)}=1`));
      expectError(response, { status: 400 });
    });

    test('deep nesting in the query string → 400', async () => {
      expectError(await send(server, 'GET', `/v1/customers?created${'[gte]'.repeat(20)}=1`), { status: 400 });
    });

    test('a value nested under metadata → 400 naming the key', async () => {
      const response = await send(server, 'POST', '/v1/customers', post('metadata[a][b]=1'));
      expectError(response, { status: 400, code: undefined, param: 'metadata[a]' });
    });

    test('a 5000-element `[]` array → 400', async () => {
      const body = Array.from({ length: 5000 }, () => 'expand[]=test_clock').join('&');
      expectError(await send(server, 'POST', '/v1/customers', post(body)), { status: 400 });
    });

    test('a 5000-element indexed array → 400', async () => {
      const body = Array.from({ length: 5000 }, (_, i) => `preferred_locales[${i}]=en`).join('&');
      expectError(await send(server, 'POST', '/v1/customers', post(body)), { status: 400 });
    });

    test('a 1500-element array (under the pair limit) → 400 on preferred_locales', async () => {
      const body = Array.from({ length: 1500 }, (_, i) => `preferred_locales[${i}]=en`).join('&');
      const response = await send(server, 'POST', '/v1/customers', post(body));
      expectError(response, { status: 400, code: undefined, param: 'preferred_locales' });
    });

    test('5000 metadata keys → 400', async () => {
      const body = Array.from({ length: 5000 }, (_, i) => `metadata[k${i}]=v`).join('&');
      expectError(await send(server, 'POST', '/v1/customers', post(body)), { status: 400 });
    });

    test('51 metadata keys → 400 on metadata', async () => {
      const body = Array.from({ length: 51 }, (_, i) => `metadata[k${i}]=v`).join('&');
      const response = await send(server, 'POST', '/v1/customers', post(body));
      expectError(response, { status: 400, code: undefined, param: 'metadata' });
    });

    test('a 500-element types[] filter on events → 400 on types', async () => {
      const query = Array.from({ length: 500 }, () => 'types[]=customer.created').join('&');
      expectError(await send(server, 'GET', `/v1/events?${query}`), {
        status: 400,
        code: undefined,
        param: 'types',
      });
    });
  });

  describe('wrong types', () => {
    const cases: [string, string, ExpectedError][] = [
      [
        'balance=abc',
        'balance=abc',
        { status: 400, code: 'parameter_invalid_integer', param: 'balance', message: 'Invalid integer: abc' },
      ],
      ['balance=1.5', 'balance=1.5', { status: 400, code: 'parameter_invalid_integer', param: 'balance' }],
      ['balance[x]=1', 'balance[x]=1', { status: 400, param: 'balance' }],
      ['metadata=str', 'metadata=str', { status: 400, code: undefined, param: 'metadata' }],
      ['metadata[]=x', 'metadata[]=x', { status: 400, code: undefined, param: 'metadata' }],
      ['address[city][x]=1', 'address[city][x]=1', { status: 400, code: undefined, param: 'address[city]' }],
      ['address=Paris', 'address=Paris', { status: 400, code: undefined, param: 'address' }],
      [
        'address[foo]=1',
        'address[foo]=1',
        {
          status: 400,
          code: 'parameter_unknown',
          param: 'address[foo]',
          message: 'Received unknown parameter: address[foo]',
        },
      ],
      [
        'shipping without a name',
        'shipping[address][city]=Paris',
        { status: 400, code: 'parameter_missing', param: 'shipping[name]' },
      ],
      [
        'validate=yes',
        'validate=yes',
        { status: 400, code: undefined, param: 'validate', message: 'Invalid boolean: yes' },
      ],
      [
        'tax_exempt=maybe',
        'tax_exempt=maybe',
        {
          status: 400,
          code: undefined,
          param: 'tax_exempt',
          message: 'Invalid tax_exempt: must be one of exempt, none, or reverse',
        },
      ],
      [
        'name too long',
        `name=${'n'.repeat(257)}`,
        { status: 400, code: 'parameter_invalid_string_too_long', param: 'name' },
      ],
      ['source=', 'source=', { status: 400, code: 'parameter_invalid_empty', param: 'source' }],
      ['balance=', 'balance=', { status: 400, code: 'parameter_invalid_empty', param: 'balance' }],
      ['expand[]=bogus', 'expand[]=bogus', { status: 400, param: 'expand' }],
      ['unknown top-level param', 'nmae=Jenny', { status: 400, code: 'parameter_unknown', param: 'nmae' }],
      ['__proto__[x]=1', '__proto__[x]=1', { status: 400, code: 'parameter_unknown', param: '__proto__' }],
      ['constructor=1', 'constructor=1', { status: 400, code: 'parameter_unknown', param: 'constructor' }],
      ['email=not-an-email', 'email=not-an-email', { status: 400, code: 'email_invalid', param: 'email' }],
      [
        'test_clock=clock_nope',
        'test_clock=clock_nope',
        { status: 400, code: 'resource_missing', param: 'test_clock' },
      ],
      [
        'payment_method=pm_nope',
        'payment_method=pm_nope',
        { status: 400, code: 'resource_missing', param: 'payment_method' },
      ],
    ];
    for (const [name, body, expected] of cases) {
      test(`create with ${name}`, async () => {
        expectError(await send(server, 'POST', '/v1/customers', post(body)), expected);
      });
    }

    test('a valid create whose expansion fails is rolled back', async () => {
      const response = await send(server, 'POST', '/v1/customers', post('name=Jenny&expand[]=bogus'));
      expectError(response, { status: 400, param: 'expand' });
    });

    test('the same with an Idempotency-Key, and its replay', async () => {
      const init = post('name=Jenny&expand[]=bogus', { 'idempotency-key': 'bad-input-expand' });
      const first = await send(server, 'POST', '/v1/customers', init);
      expectError(first, { status: 400, param: 'expand' });
      const again = await send(server, 'POST', '/v1/customers', init);
      expectError(again, { status: 400, param: 'expand' });
      assert.deepEqual(again.json, first.json);
    });
  });

  describe('list params on GET /v1/customers', () => {
    const cases: [string, ExpectedError][] = [
      ['limit=0', { status: 400, param: 'limit' }],
      ['limit=101', { status: 400, param: 'limit' }],
      ['limit=-1', { status: 400, param: 'limit' }],
      [
        'limit=abc',
        { status: 400, code: 'parameter_invalid_integer', param: 'limit', message: 'Invalid integer: abc' },
      ],
      ['limit=', { status: 400, code: 'parameter_invalid_empty', param: 'limit' }],
      ['limit[]=1', { status: 400, param: 'limit' }],
      ['created=abc', { status: 400, code: 'parameter_invalid_integer', param: 'created' }],
      ['created[after]=1', { status: 400, code: 'parameter_unknown', param: 'created[after]' }],
      [
        'starting_after=cus_nope',
        {
          status: 400,
          code: 'resource_missing',
          param: 'starting_after',
          message: "No such customer: 'cus_nope'",
        },
      ],
      ['ending_before=cus_nope', { status: 400, code: 'resource_missing', param: 'ending_before' }],
      ['foo=bar', { status: 400, code: 'parameter_unknown', param: 'foo' }],
    ];
    for (const [query, expected] of cases) {
      test(query, async () => expectError(await send(server, 'GET', `/v1/customers?${query}`), expected));
    }

    test('limit=1 and limit=100 are accepted', async () => {
      for (const limit of [1, 100]) {
        const response = await send(server, 'GET', `/v1/customers?limit=${limit}`);
        assert.equal(response.status, 200);
        assert.equal(response.json.object, 'list');
      }
    });

    test('events: limit=0, limit=101, limit=abc, starting_after unknown', async () => {
      expectError(await send(server, 'GET', '/v1/events?limit=0'), { status: 400, param: 'limit' });
      expectError(await send(server, 'GET', '/v1/events?limit=101'), { status: 400, param: 'limit' });
      expectError(await send(server, 'GET', '/v1/events?limit=abc'), {
        status: 400,
        code: 'parameter_invalid_integer',
        param: 'limit',
      });
      expectError(await send(server, 'GET', '/v1/events?starting_after=evt_nope'), {
        status: 400,
        code: 'resource_missing',
        param: 'starting_after',
      });
    });
  });

  describe('unknown ids', () => {
    const cases: [string, string, Init, string][] = [
      ['GET', '/v1/customers/cus_nope', {}, "No such customer: 'cus_nope'"],
      ['POST', '/v1/customers/cus_nope', post('name=Jenny'), "No such customer: 'cus_nope'"],
      ['POST', '/v1/customers/cus_nope', {}, "No such customer: 'cus_nope'"],
      ['DELETE', '/v1/customers/cus_nope', {}, "No such customer: 'cus_nope'"],
      ['GET', '/v1/events/evt_nope', {}, "No such event: 'evt_nope'"],
      ['GET', '/v1/customers/cus_%27quoted%27', {}, "No such customer: 'cus_'quoted''"],
    ];
    for (const [method, path, init, message] of cases) {
      test(`${method} ${path} → 404 resource_missing param id`, async () => {
        expectError(await send(server, method, path, init), {
          status: 404,
          code: 'resource_missing',
          param: 'id',
          message,
        });
      });
    }

    test('a 600-character id → 404 resource_missing param id', async () => {
      const id = `cus_${'a'.repeat(600)}`;
      expectError(await send(server, 'GET', `/v1/customers/${id}`), {
        status: 404,
        code: 'resource_missing',
        param: 'id',
      });
    });

    test('an id with an invalid percent-escape → Stripe-shaped 4xx with a Request-Id', async () => {
      const response = await send(server, 'GET', '/v1/customers/%FF');
      assert.ok([400, 404].includes(response.status), String(response.status));
      assert.equal(response.json.error?.type, 'invalid_request_error');
    });
  });

  describe('routes', () => {
    for (const [method, path] of [
      ['GET', '/v1/nope'],
      ['POST', '/v1/nope'],
      ['PUT', '/v1/customers'],
      ['PATCH', '/v1/customers/cus_1'],
      ['DELETE', '/v1/customers'],
      ['GET', '/v1/customers/cus_1/nope'],
    ] as const) {
      test(`${method} ${path} → 404 Unrecognized request URL`, async () => {
        const response = await send(server, method, path, method === 'POST' ? post('a=1') : {});
        expectError(response, {
          status: 404,
          code: undefined,
          param: undefined,
          message: new RegExp(`^Unrecognized request URL \\(${method}: ${path.replace(/\//g, '\\/')}\\)`),
        });
      });
    }

    test('the query string is not part of the unrecognized URL', async () => {
      const response = await send(server, 'GET', '/v1/nope?limit=3');
      expectError(response, { status: 404, message: /^Unrecognized request URL \(GET: \/v1\/nope\)\./ });
    });
  });

  describe('authentication', () => {
    test('no key → 401', async () => {
      const response = await send(server, 'GET', '/v1/customers', { key: null });
      expectError(response, { status: 401, message: /^You did not provide an API key\./ });
    });

    test('no key on a POST with a bad body → 401, not 400', async () => {
      const response = await send(server, 'POST', '/v1/customers', { key: null, body: 'balance=abc' });
      expectError(response, { status: 401 });
    });

    test('an empty Bearer → 401', async () => {
      const response = await send(server, 'GET', '/v1/customers', {
        key: null,
        headers: { authorization: 'Bearer ' },
      });
      expectError(response, { status: 401 });
    });

    test('an unknown key → 401 with the key masked', async () => {
      const key = 'sk_test_abcdefghijklmnopqrstWXYZ';
      const response = await send(server, 'GET', '/v1/customers', { key });
      expectError(response, { status: 401, message: /^Invalid API Key provided: sk_test_\*+WXYZ$/ });
      assert.ok(!response.json.error!.message!.includes('abcdefgh'), 'the secret part is not echoed');
    });

    test('an unknown key through Basic auth → 401 with the key masked', async () => {
      const key = 'sk_test_abcdefghijklmnopqrstWXYZ';
      const authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
      const response = await send(server, 'GET', '/v1/customers', { key: null, headers: { authorization } });
      expectError(response, { status: 401, message: /^Invalid API Key provided: sk_test_\*+WXYZ$/ });
    });

    test('a mangled key → 401 without echoing it', async () => {
      const key = 'not-a-key-at-all-SECRET1234';
      const response = await send(server, 'GET', '/v1/customers', { key });
      expectError(response, { status: 401 });
      assert.ok(!response.json.error!.message!.includes('SECRET'), response.json.error!.message);
    });

    test('a publishable key → 401', async () => {
      const response = await send(server, 'GET', '/v1/customers', { key: 'pk_test_abcdefghijklmnop' });
      expectError(response, { status: 401 });
    });

    test('garbage Basic credentials → 401', async () => {
      const response = await send(server, 'GET', '/v1/customers', {
        key: null,
        headers: { authorization: 'Basic !!!' },
      });
      expectError(response, { status: 401 });
    });

    test('an unknown Stripe-Account → 403', async () => {
      const response = await send(server, 'GET', '/v1/customers', {
        headers: { 'stripe-account': 'acct_nope' },
      });
      expectError(response, { status: 403 });
    });

    test('a malformed Stripe-Version → 400', async () => {
      const response = await send(server, 'GET', '/v1/customers', {
        headers: { 'stripe-version': 'yesterday' },
      });
      expectError(response, { status: 400 });
    });

    test('an Idempotency-Key over 255 characters → 400', async () => {
      const response = await send(
        server,
        'POST',
        '/v1/customers',
        post('name=J', { 'idempotency-key': 'k'.repeat(256) }),
      );
      expectError(response, { status: 400 });
    });
  });

  test('nothing was written by any of the bad requests', async () => {
    const customers = await send(server, 'GET', '/v1/customers?limit=100');
    assert.equal(customers.status, 200);
    assert.deepEqual(customers.json.data, []);
    assert.equal(customers.json.has_more, false);
    const events = await send(server, 'GET', '/v1/events?limit=100');
    assert.equal(events.status, 200);
    assert.deepEqual(events.json.data, []);
    assert.equal(events.json.has_more, false);
  });
});

describe('NUL characters are data, not a server error', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('GET /v1/customers/cus_%00 → 404 resource_missing', async () => {
    expectError(await send(server, 'GET', '/v1/customers/cus_%00'), {
      status: 404,
      code: 'resource_missing',
      param: 'id',
    });
  });

  test('starting_after=cus_%00 → 400 resource_missing', async () => {
    expectError(await send(server, 'GET', '/v1/customers?starting_after=cus_%00'), {
      status: 400,
      code: 'resource_missing',
      param: 'starting_after',
    });
  });

  test('email=a%00b filter → an empty list or a 400, not a 500', async () => {
    const response = await send(server, 'GET', '/v1/customers?email=a%00b');
    if (response.status === 200) assert.deepEqual(response.json.data, []);
    else expectError(response, { status: 400 });
  });

  test('events type=customer.%00 filter → an empty list or a 400, not a 500', async () => {
    const response = await send(server, 'GET', '/v1/events?type=customer.%00');
    if (response.status === 200) assert.deepEqual(response.json.data, []);
    else expectError(response, { status: 400 });
  });

  test('creating with a NUL in email or name → 200 or 400, not a 500', async () => {
    for (const body of ['email=a%00b@example.com', 'name=a%00b', 'metadata[a%00]=b']) {
      const response = await send(server, 'POST', '/v1/customers', post(body));
      if (response.status === 200) assert.equal(response.json.object, 'customer');
      else expectError(response, { status: 400 });
    }
  });
});

describe('prototype-named keys over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('metadata keys named __proto__, constructor and toString are stored and returned', async () => {
    const created = await send(
      server,
      'POST',
      '/v1/customers',
      post('metadata[__proto__]=a&metadata[constructor]=b&metadata[toString]=c&metadata[plan]=pro'),
    );
    assert.equal(created.status, 200);
    const expected = JSON.parse('{"__proto__":"a","constructor":"b","toString":"c","plan":"pro"}');
    assert.deepEqual(created.json.metadata, expected);
    const fetched = await send(server, 'GET', `/v1/customers/${created.json.id}`);
    assert.deepEqual(fetched.json.metadata, expected);
  });

  test('sending prototype paths does not pollute the server', async () => {
    for (const body of [
      '__proto__[polluted]=yes',
      'constructor[prototype][polluted]=yes',
      'metadata[__proto__][polluted]=yes',
      'address[__proto__][polluted]=yes',
    ]) {
      const response = await send(server, 'POST', '/v1/customers', post(body));
      assert.equal(response.status, 400, body);
    }
    await send(server, 'GET', '/v1/customers?__proto__[polluted]=yes');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  });
});

describe('metadata limits hold for the object, not only for one request', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('updates that would take a customer past 50 metadata keys → 400 on metadata', async () => {
    const keys = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `metadata[k${from + i}]=v`).join('&');
    const created = await send(server, 'POST', '/v1/customers', post(keys(0, 30)));
    assert.equal(created.status, 200);
    const id = created.json.id as string;
    const update = await send(server, 'POST', `/v1/customers/${id}`, post(keys(30, 30)));
    expectError(update, { status: 400, param: 'metadata' });
    const fetched = await send(server, 'GET', `/v1/customers/${id}`);
    assert.equal(Object.keys(fetched.json.metadata as object).length, 30);
    // Replacing keys (delete 20, add 20) stays within the limit and is accepted.
    const deletes = Array.from({ length: 20 }, (_, i) => `metadata[k${i}]=`).join('&');
    const swap = await send(server, 'POST', `/v1/customers/${id}`, post(`${deletes}&${keys(30, 20)}`));
    assert.equal(swap.status, 200);
    assert.equal(Object.keys(swap.json.metadata as object).length, 30);
  });
});
