import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

/** Raw bytes on a fresh connection; the whole answer, read until the server closes it. */
function rawExchange(server: TestServer, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(Buffer.from(text, 'latin1'));
  });
}

/** What the hostile-input sweep found, each pinned by the request that showed it. */
describe('hostile-input sweep findings', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('a portal path whose session segment is not plain text redirects with it encoded, not a 500', async () => {
    const response = await fetch(`${server.baseUrl}/p/cus_%E2%80%AE`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/p/cus_%E2%80%AE/');
  });

  test('a portal path segment that decodes to a NUL names nothing: a 404 page (PostgreSQL cannot compare it)', async () => {
    for (const path of [
      '/p/cus_%00',
      '/p/cus_%00/',
      '/p/cus_%00/invoices',
      '/p/x%00y/payment-methods/new',
      '/p/login/cus_%00',
      '/p/login/cus_%00/code',
    ]) {
      const response = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    }
  });

  for (const [name, request] of [
    ['a NUL byte in a header', 'GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n'],
    ['raw non-ASCII bytes in the URL', 'GET /v1/customers?email=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n'],
    [
      'a malformed chunked body',
      'POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
  ]) {
    test(`${name}: a Stripe-shaped 400 with a Request-Id, and the connection closed as announced`, async () => {
      const answer = await rawExchange(server, request!.replace('KEY', server.key));
      const [head, body] = answer.split('\r\n\r\n', 2);
      assert.match(head!, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(head!, /\r\nConnection: close(\r\n|$)/);
      assert.match(head!, /\r\nRequest-Id: req_[A-Za-z0-9]+(\r\n|$)/);
      assert.match(head!, /\r\nContent-Type: application\/json(; charset=utf-8)?(\r\n|$)/);
      const error = (JSON.parse(body!) as { error: { type: string; message: string } }).error;
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /^Invalid request: /);
    });
  }
});
