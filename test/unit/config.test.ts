import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration from the environment', () => {
  test('defaults: port 4242, SQLite under ./data, public URL on localhost', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4242);
    assert.equal(config.host, 'localhost');
    assert.deepEqual(config.store, {
      kind: 'sqlite',
      path: resolve('data/portico.db'),
      display: `SQLite ${resolve('data/portico.db')}`,
    });
    assert.equal(config.publicUrl, 'http://localhost:4242');
    assert.equal(config.secretKey, undefined);
    assert.equal(config.strictApiVersion, false);
    assert.equal(config.portalMultiItemUpdates, false, 'multi-item portal updates are off by default');
  });

  test('every accepted form of each variable', () => {
    const config = loadConfig({
      PORT: '8080',
      PORTICO_DATABASE_URL: 'postgres://u@db.internal:6543/billing',
      PORTICO_SECRET_KEY: 'sk_test_abcdefghijklmnop1234',
      PORTICO_LIVE_SECRET_KEY: 'sk_live_abcdefghijklmnop1234',
      PORTICO_PUBLIC_URL: 'https://billing.example.com/',
      PORTICO_STRICT_API_VERSION: 'true',
      PORTICO_PORTAL_MULTI_ITEM_UPDATES: 'true',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.store.kind, 'postgres');
    assert.equal(config.store.display, 'PostgreSQL db.internal:6543/billing');
    assert.equal(config.publicUrl, 'https://billing.example.com', 'trailing slash dropped');
    assert.equal(config.strictApiVersion, true);
    assert.equal(config.portalMultiItemUpdates, true);
    assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
    assert.equal(loadConfig({ PORTICO_DATABASE_URL: 'sqlite::memory:' }).store.display, 'SQLite (in memory)');
    assert.equal(loadConfig({ PORTICO_DATABASE_URL: 'sqlite:/tmp/x.db' }).store.display, 'SQLite /tmp/x.db');
  });

  test('mail: the development outbox by default, SMTP with a URL', () => {
    const plain = loadConfig({}).mail;
    assert.equal(plain.smtpUrl, undefined);
    assert.equal(plain.from, 'Portico <billing@localhost>');
    assert.deepEqual(plain.retries, [30, 120, 600, 3600, 21600]);
    const smtp = loadConfig({
      PORTICO_SMTP_URL: 'smtps://user:pa%40ss@smtp.example.com:465',
      PORTICO_EMAIL_FROM: 'Acme Billing <billing@acme.example>',
    }).mail;
    assert.equal(smtp.smtpUrl, 'smtps://user:pa%40ss@smtp.example.com:465');
    assert.equal(smtp.from, 'Acme Billing <billing@acme.example>');
    assert.equal(
      loadConfig({ PORTICO_EMAIL_FROM: 'billing@acme.example' }).mail.from,
      'billing@acme.example',
    );
  });

  const refused: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT: "abc" is not a port number/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ PORTICO_DATABASE_URL: 'mysql://x' }, /^PORTICO_DATABASE_URL: "mysql:\/\/x" is not supported/],
    [{ PORTICO_DATABASE_URL: 'sqlite:' }, /^PORTICO_DATABASE_URL: "sqlite:" needs a file path/],
    [
      { PORTICO_DATABASE_URL: 'postgres://h/db?schema=Bad-Name' },
      /^PORTICO_DATABASE_URL: schema "Bad-Name" must be/,
    ],
    [{ PORTICO_SECRET_KEY: 'sk_live_abcdefghijklmnop1234' }, /^PORTICO_SECRET_KEY: expected an sk_test_ key/],
    [{ PORTICO_SECRET_KEY: 'sk_test_short' }, /^PORTICO_SECRET_KEY: /],
    [
      { PORTICO_LIVE_SECRET_KEY: 'sk_test_abcdefghijklmnop1234' },
      /^PORTICO_LIVE_SECRET_KEY: expected an sk_live_/,
    ],
    [{ PORTICO_PUBLIC_URL: 'not a url' }, /^PORTICO_PUBLIC_URL: "not a url" is not an absolute URL/],
    [{ PORTICO_PUBLIC_URL: 'ftp://x' }, /^PORTICO_PUBLIC_URL: .* must be an http or https URL/],
    [{ PORTICO_STRICT_API_VERSION: 'maybe' }, /^PORTICO_STRICT_API_VERSION: "maybe" is not a boolean/],
    [{ PORTICO_SMTP_URL: 'http://mail.example.com' }, /^PORTICO_SMTP_URL: expected smtp:\/\/host:port/],
    [{ PORTICO_SMTP_URL: 'mail.example.com:25' }, /^PORTICO_SMTP_URL: /],
    [{ PORTICO_EMAIL_FROM: 'Billing' }, /^PORTICO_EMAIL_FROM: "Billing" is not an address/],
    [{ PORTICO_MAIL_RETRIES: '30,soon' }, /^PORTICO_MAIL_RETRIES: /],
    [
      { PORTICO_PORTAL_MULTI_ITEM_UPDATES: 'yes please' },
      /^PORTICO_PORTAL_MULTI_ITEM_UPDATES: "yes please" is not a boolean/,
    ],
  ];
  for (const [env, message] of refused) {
    test(`refuses ${JSON.stringify(env)} naming the variable`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});
