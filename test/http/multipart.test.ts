import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startServer, type TestServer } from '../support/server.ts';

/** Upload bodies the SDK never sends: each refused with the same message as before. */

const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function part(name: string, content: string | Buffer, filename?: string): Buffer {
  const file = filename === undefined ? '' : `; filename="${filename}"\r\nContent-Type: image/gif`;
  return Buffer.concat([
    Buffer.from(`--xyz\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
}

const body = (...parts: Buffer[]) => Buffer.concat([...parts, Buffer.from('--xyz--\r\n')]);

describe('multipart/form-data uploads', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const upload = (payload: Buffer | string, contentType = 'multipart/form-data; boundary=xyz') =>
    call(server, 'POST', '/v1/files', { body: payload, headers: { 'content-type': contentType } });

  const refused = async (payload: Buffer | string, message: string, contentType?: string) => {
    const response = await upload(payload, contentType);
    assert.equal(response.status, 400);
    assert.equal(response.json.error?.message, message);
  };

  test('a well-formed upload is stored, its filename without its path', async () => {
    const response = await upload(
      body(part('purpose', 'business_logo'), part('file', gif, 'C:\\Users\\me\\logo.gif')),
    );
    assert.equal(response.status, 200);
    assert.equal(response.json.filename, 'logo.gif');
    assert.equal(response.json.size, gif.length);
  });

  test('malformed bodies are refused with what is wrong', async () => {
    const malformed = (why: string) => `Invalid request: the multipart/form-data body is malformed (${why}).`;
    await refused(
      body(part('purpose', 'business_logo')),
      malformed('no boundary in the Content-Type header'),
      'multipart/form-data',
    );
    await refused('', malformed('the boundary does not occur'));
    await refused(part('purpose', 'business_logo'), malformed('the closing boundary is missing'));
    await refused(
      body(part('purpose', 'business_logo'), part('file[x]', gif, 'a.gif')),
      malformed('a file part has the name "file[x]"'),
    );
  });

  test('a text part must be UTF-8, and a file is sent once', async () => {
    await refused(
      body(part('purpose', Buffer.from([0xff, 0xfe])), part('file', gif, 'a.gif')),
      'Invalid request: a text part is not valid UTF-8.',
    );
    await refused(
      body(part('purpose', 'business_logo'), part('file', gif, 'a.gif'), part('file', gif, 'b.gif')),
      'Invalid request: more than one value for file.',
    );
  });

  test('a body over the limit is refused even without a Content-Length', async () => {
    const big = body(part('purpose', 'business_logo'), part('file', Buffer.alloc(4 * 1024 * 1024), 'a.gif'));
    const response = await fetch(`${server.baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(
      ((await response.json()) as { error: { message: string } }).error.message,
      'Request body too large: multipart/form-data bodies can be at most 4194304 bytes.',
    );
  });
});
