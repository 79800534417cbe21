import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

describe('the login page over raw HTTP', () => {
  let server: TestServer;
  let path: string;
  before(async () => {
    server = await startServer();
    const config = await server.stripe().billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      login_page: { enabled: true },
    });
    path = new URL(config.login_page.url!).pathname;
  });
  after(() => server.close());

  async function loginForm() {
    const page = await fetch(`${server.baseUrl}${path}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
    const setCookie = page.headers.get('set-cookie')!;
    assert.match(setCookie, /^portico_login=[A-Za-z0-9]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    return { cookie: setCookie.split(';')[0]!, csrf };
  }

  const post = (body: Record<string, string>, headers: Record<string, string>) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });

  test('a post without the login cookie, with a wrong token or from another site is refused and writes nothing', async () => {
    const { cookie, csrf } = await loginForm();
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ _csrf: csrf, email: 'a@example.com' }, { 'sec-fetch-site': 'same-origin' }],
      [
        { _csrf: 'forged', email: 'a@example.com' },
        { cookie, 'sec-fetch-site': 'same-origin' },
      ],
      [
        { _csrf: csrf, email: 'a@example.com' },
        { cookie, 'sec-fetch-site': 'cross-site' },
      ],
    ];
    for (const [body, headers] of cases) assert.equal((await post(body, headers)).status, 403);
    const codes = await server.app.store.read.selectFrom('portal_login_codes').select('id').execute();
    assert.deepEqual(codes, []);
  });

  test('a malformed address is shown on its field with a 400 and no code is made', async () => {
    const { cookie, csrf } = await loginForm();
    const answer = await post(
      { _csrf: csrf, email: 'not-an-email' },
      { cookie, 'sec-fetch-site': 'same-origin' },
    );
    assert.equal(answer.status, 400);
    const html = await answer.text();
    assert.match(html, /Enter an email address in the correct format/);
    assert.match(html, /value="not-an-email"/);
    const codes = await server.app.store.read.selectFrom('portal_login_codes').select('id').execute();
    assert.deepEqual(codes, []);
  });

  test('the code page without a code asked for sends the browser back to the form', async () => {
    const { cookie } = await loginForm();
    const answer = await fetch(`${server.baseUrl}${path}/code`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), path);
  });

  test('an unknown login page and an unknown recovery are not found', async () => {
    assert.equal((await fetch(`${server.baseUrl}/p/login/test_${'x'.repeat(24)}`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/p/recover/bps_unknown`)).status, 404);
  });
});
