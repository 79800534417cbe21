import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

// Small real images, built here so no binary fixtures are needed.

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 2×2 PNG; `padding` adds a text chunk of that many bytes, to reach a given size. */
function png(padding = 0): Buffer {
  const header = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const row = Buffer.from([0, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...(padding > 0
      ? [pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(padding, 97)]))]
      : []),
    pngChunk('IDAT', deflateSync(Buffer.concat([row, row]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One transparent pixel. */
const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** A JPEG's start of image and JFIF segment, then its end. */
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
]);

const KB = 1024;

describe('files through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const upload = (
    purpose: Stripe.FileCreateParams.Purpose,
    data: Buffer,
    name = 'logo.png',
    client = stripe,
  ) => client.files.create({ purpose, file: { data, name, type: 'application/octet-stream' } });

  /** GET of a Portico URL (a file's `url` names the configured public address). */
  const download = (url: string, key: string | null = server.key) =>
    fetch(url.replace('http://localhost:4242', server.baseUrl), {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });

  test('upload a logo with stripe.files.create, retrieve it, list it, download it', async () => {
    const image = png();
    const file = await upload('business_logo', image);
    assert.match(file.id, /^file_/);
    assert.equal(file.object, 'file');
    assert.equal(file.purpose, 'business_logo');
    assert.equal(file.type, 'png');
    assert.equal(file.size, image.length);
    assert.equal(file.filename, 'logo.png');
    assert.equal(file.title, null);
    assert.equal(file.expires_at, null);
    assert.equal(file.url, `http://localhost:4242/v1/files/${file.id}/contents`);
    assert.deepEqual(file.links, {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/file_links?file=${file.id}`,
    });
    assert.deepEqual(await stripe.files.retrieve(file.id), file);
    const [event] = (await stripe.events.list({ type: 'file.created', limit: 1 })).data;
    assert.deepEqual(event!.data.object, file);

    const icon = await upload('business_icon', gif, 'icon.gif');
    assert.equal(icon.type, 'gif');
    const photo = await upload('business_logo', jpeg, 'C:\\Users\\me\\photo.jpeg');
    assert.equal(photo.type, 'jpg');
    assert.equal(photo.filename, 'photo.jpeg', 'only the last path segment of a name is kept');
    assert.deepEqual(
      (await stripe.files.list({ purpose: 'business_logo' })).data.map((f) => f.id),
      [photo.id, file.id],
    );
    assert.deepEqual(
      (await stripe.files.list({ limit: 2 })).data.map((f) => f.id),
      [photo.id, icon.id],
    );

    const response = await download(file.url!);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), image);
    assert.equal((await download(file.url!, null)).status, 401, 'the url needs a key');
    const unknown = await download(`http://localhost:4242/v1/files/file_missing/contents`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'resource_missing');
  });

  test('uploads that do not fit their purpose are refused with the param that is wrong', async () => {
    const refused = async (call: Promise<unknown>, param: string, message: RegExp) => {
      const error = await stripeError(call, E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param);
      assert.match(error.message, message);
    };
    const stored = (await stripe.files.list({ limit: 100 })).data.length;
    // A text chunk costs 12 bytes of framing and 8 of keyword besides its padding.
    const atLimit = png(512 * KB - png().length - 20);
    assert.equal(atLimit.length, 512 * KB);
    assert.equal((await upload('business_icon', atLimit)).size, 512 * KB, '512 KB is allowed');
    await refused(upload('business_icon', png(512 * KB)), 'file', /at most 512 KB/);
    await refused(
      upload('business_logo', Buffer.from('%PDF-1.7\n%âãÏÓ\n')),
      'file',
      /must be PNG, JPEG, GIF, SVG images, not PDF/,
    );
    await refused(
      upload('business_logo', Buffer.from('just some text')),
      'file',
      /must be PNG, JPEG, GIF, SVG/,
    );
    await refused(upload('business_logo', Buffer.alloc(0)), 'file', /empty/);
    await refused(upload('dispute_evidence', png()), 'purpose', /account branding only/);
    await refused(
      upload('not_a_purpose' as Stripe.FileCreateParams.Purpose, png()),
      'purpose',
      /Invalid purpose: must be one of/,
    );
    assert.equal(
      (await stripe.files.list({ limit: 100 })).data.length,
      stored + 1,
      'only the 512 KB icon was kept',
    );
  });

  test('a file sent as a plain value, or a body over the upload limit, is refused', async () => {
    const form = await fetch(`${server.baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'purpose=business_logo&file=logo.png',
    });
    assert.equal(form.status, 400);
    assert.equal(((await form.json()) as { error: { param: string } }).error.param, 'file');

    const textPart = new FormData();
    textPart.set('purpose', 'business_logo');
    textPart.set('file', 'not a file');
    const noFilename = await fetch(`${server.baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}` },
      body: textPart,
    });
    assert.equal(noFilename.status, 400);
    assert.equal(((await noFilename.json()) as { error: { param: string } }).error.param, 'file');

    const purposeOnly = new FormData();
    purposeOnly.set('purpose', 'business_logo');
    const missing = await fetch(`${server.baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}` },
      body: purposeOnly,
    });
    assert.equal(missing.status, 400);
    assert.deepEqual(((await missing.json()) as { error: { code: string; param: string } }).error, {
      type: 'invalid_request_error',
      code: 'parameter_missing',
      message: 'Missing required param: file.',
      param: 'file',
    });

    const huge = new FormData();
    huge.set('purpose', 'business_logo');
    huge.set('file', new Blob([new Uint8Array(5 * 1024 * KB)]), 'huge.png');
    const tooLarge = await fetch(`${server.baseUrl}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}` },
      body: huge,
    });
    assert.equal(tooLarge.status, 413);
    const body = (await tooLarge.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /at most 4194304 bytes/);

    const broken = await fetch(`${server.baseUrl}/v1/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.key}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbusiness_logo',
    });
    assert.equal(broken.status, 400);
    assert.match(((await broken.json()) as { error: { message: string } }).error.message, /malformed/);
  });

  test('SVG logos are rebuilt without scripts, handlers or external references', async () => {
    const svg = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="https://evil.example/x.css"?>
<!-- made by hand -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <style>.a { fill: #0a2540 } .b { background: url(https://evil.example/t.png) }</style>
  <a href="javascript:alert(3)"><rect class="a" width="10" height="10" fill="url(#g)" onclick="alert(4)"/></a>
  <linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>
  <image href="https://evil.example/pixel.png" width="1" height="1"/>
  <use xlink:href="https://evil.example/sprite.svg#x"/>
  <use href="#g"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <circle cx="5" cy="5" r="2" style="fill: red; background-image: url('https://evil.example')"/>
  <text x="1" y="9">Acme &amp; Co</text>
</svg>`;
    const file = await upload('business_logo', Buffer.from(svg), 'logo.svg');
    assert.equal(file.type, 'svg');
    const response = await download(file.url!);
    assert.equal(response.headers.get('content-type'), 'image/svg+xml');
    assert.match(String(response.headers.get('content-security-policy')), /default-src 'none'/);
    const kept = await response.text();
    assert.equal(file.size, Buffer.byteLength(kept));
    for (const gone of [
      'script',
      'alert',
      'onload',
      'onclick',
      'evil.example',
      'foreignObject',
      '<image',
      '<?',
      '<!--',
      '<a',
    ]) {
      assert.ok(!kept.includes(gone), `${gone} was removed from ${kept}`);
    }
    for (const stays of [
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">',
      '<rect class="a" width="10" height="10" fill="url(#g)"/>',
      '<use href="#g"/>',
      '<circle cx="5" cy="5" r="2"/>',
      '<text x="1" y="9">Acme &amp; Co</text>',
    ]) {
      assert.ok(kept.includes(stays), `${stays} is kept in ${kept}`);
    }
    assert.ok(!kept.includes('<style>'), 'a style sheet with an external reference is refused outright');

    const styled = await upload(
      'business_icon',
      Buffer.from(
        '<svg viewBox="0 0 1 1"><style>.a{fill:#123456}</style><rect class="a" width="1" height="1"/></svg>',
      ),
      'icon.svg',
    );
    const styledText = await (await download(styled.url!)).text();
    assert.equal(
      styledText,
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>.a{fill:#123456}</style><rect class="a" width="1" height="1"/></svg>',
    );

    for (const [bad, why] of [
      ['<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>', /DOCTYPE/],
      ['<svg><rect></svg>', /mismatched tags/],
      ['<svg><rect width=1/></svg>', /malformed/],
      ['<html><svg/></html>', /root element other than <svg>/],
    ] as const) {
      const error = await stripeError(
        upload('business_logo', Buffer.from(bad), 'bad.svg'),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.param, 'file');
      assert.match(error.message, why);
    }
  });

  test('file links: made on upload or later, public until they expire', async () => {
    const image = png();
    const file = await stripe.files.create({
      purpose: 'business_icon',
      file: { data: image, name: 'icon.png', type: 'image/png' },
      file_link_data: { create: true, metadata: { use: 'portal' } },
    });
    const [link] = file.links!.data;
    assert.match(link!.id, /^link_/);
    assert.equal(link!.file, file.id);
    assert.equal(link!.expired, false);
    assert.equal(link!.expires_at, null);
    assert.deepEqual(link!.metadata, { use: 'portal' });
    assert.match(link!.url!, /^http:\/\/localhost:4242\/links\/[A-Za-z0-9]{40}$/);
    const open = await download(link!.url!, null);
    assert.equal(open.status, 200, 'a link needs no key');
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), image);

    const later = await stripe.fileLinks.create({
      file: file.id,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
    });
    assert.deepEqual(
      (await stripe.fileLinks.list({ file: file.id })).data.map((l) => l.id),
      [later.id, link!.id],
    );
    assert.deepEqual(
      (await stripe.files.retrieve(file.id)).links!.data.map((l) => l.id),
      [later.id, link!.id],
    );
    const withFile = await stripe.fileLinks.retrieve(later.id, { expand: ['file'] });
    assert.equal((withFile.file as Stripe.File).purpose, 'business_icon');
    const expired = await stripe.fileLinks.update(later.id, { expires_at: 'now' });
    assert.equal(expired.expired, true);
    assert.equal((await download(later.url!, null)).status, 404, 'an expired link opens nothing');
    const frozen = await stripeError(
      stripe.fileLinks.update(later.id, { metadata: { a: 'b' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(frozen.message, /Expired links/);
    assert.equal((await download('http://localhost:4242/links/nope', null)).status, 404);

    const past = await stripeError(
      stripe.files.create({
        purpose: 'business_icon',
        file: { data: image, name: 'icon.png', type: 'image/png' },
        file_link_data: { create: true, expires_at: 1 },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(past.param, 'file_link_data[expires_at]');
    const noFile = await stripeError(
      stripe.fileLinks.create({ file: 'file_missing' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noFile.code, 'resource_missing');
    assert.equal(noFile.param, 'file');
  });

  test('an upload retried with its idempotency key is not stored twice', async () => {
    const image = png(10);
    const options = { idempotencyKey: `upload-${Date.now()}` };
    const params = {
      purpose: 'business_logo' as const,
      file: { data: image, name: 'l.png', type: 'image/png' },
    };
    const first = await stripe.files.create(params, options);
    const again = await stripe.files.create(params, options);
    assert.equal(again.id, first.id);
    const other = await stripeError(
      stripe.files.create({ ...params, file: { ...params.file, data: png(11) } }, options),
      E.StripeIdempotencyError,
      400,
    );
    assert.match(other.message, /same parameters/);
  });

  test('restricted keys need files permission, to upload and to download', async () => {
    const key = (permissions: Record<string, 'read' | 'write'>) =>
      createRestrictedKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: false },
        Math.floor(Date.now() / 1000),
        permissions,
      );
    const reader = await key({ files: 'read' });
    const file = await upload('business_logo', png());
    assert.equal((await server.stripe(reader).files.retrieve(file.id)).id, file.id);
    assert.equal((await download(file.url!, reader)).status, 200);
    const denied = await stripeError(
      upload('business_logo', png(), 'x.png', server.stripe(reader)),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /'rak_file_write'/);
    const stranger = await key({ customers: 'read' });
    const forbidden = await download(file.url!, stranger);
    assert.equal(forbidden.status, 403);
  });
});

describe('account branding with uploaded files', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const upload = (purpose: 'business_icon' | 'business_logo', options?: Stripe.RequestOptions) =>
    stripe.files.create(
      { purpose, file: { data: png(), name: `${purpose}.png`, type: 'image/png' } },
      options,
    );

  test('the platform sets its icon, logo and colours; they are on the account', async () => {
    const icon = await upload('business_icon');
    const logo = await upload('business_logo');
    const platform = server.app.boot.accountId;
    const updated = await stripe.accounts.update(platform, {
      settings: {
        branding: { icon: icon.id, logo: logo.id, primary_color: '#0a2540', secondary_color: '#FFFFFF' },
      },
    });
    assert.deepEqual(updated.settings?.branding, {
      icon: icon.id,
      logo: logo.id,
      primary_color: '#0a2540',
      secondary_color: '#FFFFFF',
    });
    assert.deepEqual(
      (await stripe.accounts.retrieveCurrent()).settings?.branding,
      updated.settings?.branding,
    );
    const cleared = await stripe.accounts.update(platform, { settings: { branding: { logo: '' } } });
    assert.equal(cleared.settings?.branding.logo, null);
    assert.equal(cleared.settings?.branding.icon, icon.id);
  });

  test('a file of the wrong purpose, a missing file or a bad colour is refused by param', async () => {
    const platform = server.app.boot.accountId;
    const logo = await upload('business_logo');
    const wrong = await stripeError(
      stripe.accounts.update(platform, { settings: { branding: { icon: logo.id } } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrong.param, 'settings[branding][icon]');
    assert.match(wrong.message, /purpose business_logo.*business_icon/);
    const missing = await stripeError(
      stripe.accounts.update(platform, { settings: { branding: { logo: 'file_missing' } } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.param, 'settings[branding][logo]');
    const color = await stripeError(
      stripe.accounts.update(platform, { settings: { branding: { primary_color: 'blue' } } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(color.param, 'settings[branding][primary_color]');
    assert.notEqual((await stripe.accounts.retrieveCurrent()).settings?.branding.icon, logo.id);
  });

  test('connected accounts: files of the platform at creation, their own files later', async () => {
    const platformIcon = await upload('business_icon');
    const connected = await stripe.accounts.create({
      type: 'custom',
      settings: { branding: { icon: platformIcon.id } },
    });
    assert.equal(connected.settings?.branding.icon, platformIcon.id);
    const own = await upload('business_logo', { stripeAccount: connected.id });
    assert.equal((await stripe.files.list({}, { stripeAccount: connected.id })).data[0]!.id, own.id);
    assert.ok(
      (await stripe.files.list({ limit: 100 })).data.every((f) => f.id !== own.id),
      "the platform's list leaves out its connected account's files",
    );
    const updated = await stripe.accounts.update(connected.id, { settings: { branding: { logo: own.id } } });
    assert.equal(updated.settings?.branding.logo, own.id);
    await stripeError(
      stripe.accounts.update(server.app.boot.accountId, { settings: { branding: { logo: own.id } } }),
      E.StripeInvalidRequestError,
      400,
    );
  });
});
