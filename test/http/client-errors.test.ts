import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

/** What came back on a raw connection, and whether the server closed it. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  closed: boolean;
}

/** Writes bytes on a fresh connection and reads until the server closes it (or 5 s pass). */
function rawExchange(server: TestServer, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, closed });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, 5000);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

/** A complete answer in Stripe's shape that says the connection closes, and does close it. */
function assertClosingStripeError(answer: RawAnswer, status: number, message: RegExp): void {
  assert.equal(answer.status, status, answer.body);
  assert.equal(answer.headers.connection, 'close');
  assert.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body));
  assert.match(answer.headers['request-id'] ?? '', /^req_/);
  const json = JSON.parse(answer.body) as { error: { type: string; message: string } };
  assert.equal(json.error.type, 'invalid_request_error');
  assert.match(json.error.message, message);
  assert.ok(answer.closed, 'the server closes the connection after the answer');
}

describe('requests refused before routing: Stripe-shaped answers and closed connections', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const auth = () => `Authorization: Bearer ${server.key}\r\n`;
  const tooLarge = /^Request header fields too large: .* at most 16384 bytes\.$/;

  test('a URL over 16 KB: 431 with Connection: close', async () => {
    const answer = await rawExchange(
      server,
      `GET /v1/customers?email=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${auth()}\r\n`,
    );
    assertClosingStripeError(answer, 431, tooLarge);
  });

  test('one header over 16 KB: 431 with Connection: close', async () => {
    const answer = await rawExchange(
      server,
      `GET /v1/customers HTTP/1.1\r\nHost: x\r\n${auth()}X-Padding: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    assertClosingStripeError(answer, 431, tooLarge);
  });

  test('a request line that is not HTTP, and a Content-Length that is not a number: 400', async () => {
    assertClosingStripeError(
      await rawExchange(server, 'HELLO THERE\r\n\r\n'),
      400,
      /^Invalid request: (the HTTP request is malformed|the method is not valid)\.$/,
    );
    assertClosingStripeError(
      await rawExchange(
        server,
        `POST /v1/customers HTTP/1.1\r\nHost: x\r\n${auth()}Content-Length: ten\r\n\r\n`,
      ),
      400,
      /^Invalid request: the Content-Length header is not valid\.$/,
    );
  });

  test('a keep-alive client whose request was refused sends its next one on a fresh connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.get(
          {
            host: '127.0.0.1',
            port: server.port,
            path,
            agent,
            headers: { authorization: `Bearer ${server.key}` },
          },
          (response) => {
            let body = '';
            response.on('data', (d) => {
              body += d;
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
      });
    try {
      const refused = await get(`/v1/customers?email=${'c'.repeat(20_000)}`);
      assert.equal(refused.status, 431);
      assert.match(JSON.parse(refused.body).error.message, tooLarge);
      const next = await get('/v1/customers?limit=1');
      assert.equal(next.status, 200, next.body);
      assert.equal(JSON.parse(next.body).object, 'list');
    } finally {
      agent.destroy();
    }
  });

  test('the SDK raises an error with the message, and its next request succeeds', async () => {
    const stripe = server.stripe();
    await assert.rejects(stripe.customers.list({ email: 'd'.repeat(20_000) }), (error: Error) => {
      const e = error as Error & { statusCode?: number; raw?: { type?: string } };
      assert.equal(e.statusCode, 431);
      assert.equal(e.raw?.type, 'invalid_request_error');
      assert.match(e.message, tooLarge);
      return true;
    });
    const customer = await stripe.customers.create({ name: 'After the refusal' });
    assert.equal(customer.name, 'After the refusal');
  });

  test('a body over 1 MiB: 413 in Stripe shape, through the SDK with its message', async () => {
    const stripe = server.stripe();
    await assert.rejects(
      stripe.customers.create({ description: 'e'.repeat(1024 * 1024 + 1) }),
      (error: Error) => {
        const e = error as Error & { statusCode?: number; raw?: { type?: string } };
        assert.equal(e.statusCode, 413);
        assert.equal(e.raw?.type, 'invalid_request_error');
        assert.equal(e.message, 'Request body too large: the limit is 1048576 bytes.');
        return true;
      },
    );
    const after = await stripe.customers.list({ limit: 100 });
    assert.equal(after.data.length, 1, 'only the customer of the earlier test exists');
  });
});
