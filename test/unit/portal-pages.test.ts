import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  renderAddCardPage,
  renderBillingInfoPage,
  renderErrorPage,
  renderHomePage,
  renderHostedInvoicePage,
  renderSessionExpiredPage,
} from '../../src/portal/ui/index.ts';
import {
  renderSamples,
  SAMPLE_CSRF,
  SAMPLE_NONCE,
  sampleAddCard,
  sampleBillingInfo,
  sampleChrome,
  sampleHome,
  sampleHostedInvoice,
} from '../support/portal-samples.ts';

const XSS = '<script>alert(1)</script>';

// Intl puts a no-break space between an amount and some currency symbols.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** Opening tags of an element in a document. */
const tags = (html: string, name: string) => html.match(new RegExp(`<${name}\\b[^>]*>`, 'g')) ?? [];

/** The text of each form, from its opening tag to its closing one. */
const forms = (html: string) => html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];

function checkDocument(name: string, html: string) {
  assert.ok(html.startsWith('<!doctype html><html lang="'), `${name}: a complete document`);
  for (const tag of [...tags(html, 'script'), ...tags(html, 'style'), ...tags(html, 'link')])
    assert.ok(tag.includes(`nonce="${SAMPLE_NONCE}"`), `${name}: ${tag} carries the nonce`);
  assert.doesNotMatch(html, /\sstyle=/, `${name}: no style attributes`);
  assert.doesNotMatch(html, /\son[a-z]+=/i, `${name}: no inline event handlers`);
  assert.doesNotMatch(html, /javascript:/i, `${name}: no javascript: URLs`);
  for (const tag of [...tags(html, 'script'), ...tags(html, 'img'), ...tags(html, 'link')]) {
    const url = tag.match(/\s(?:src|href)="([^"]*)"/)?.[1];
    if (url !== undefined) assert.match(url, /^\/(?!\/)/, `${name}: ${tag} loads from the page's own origin`);
  }
  for (const form of forms(html)) {
    assert.match(form, /^<form method="post"/, `${name}: forms post`);
    assert.ok(
      form.includes(`<input type="hidden" name="_csrf" value="${SAMPLE_CSRF}"/>`),
      `${name}: form has _csrf`,
    );
  }
  // Every error summary link points at an element of the page.
  for (const [, id] of html.matchAll(/<li><a href="#([^"]+)">/g))
    assert.ok(html.includes(`id="${id}"`), `${name}: #${id} exists`);
  // Ids are unique.
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    ids.filter((id, k) => ids.indexOf(id) !== k),
    [],
    `${name}: ids are unique`,
  );
}

describe('portal pages render', () => {
  for (const locale of ['en', 'de', 'fr', 'ja'] as const) {
    test(`every page, ${locale}: complete, nonced, no inline style or handlers, forms with _csrf`, () => {
      const pages = renderSamples({ locale, customerName: XSS, business: { name: XSS } });
      assert.equal(Object.keys(pages).length, 18);
      for (const [name, html] of Object.entries(pages)) {
        checkDocument(`${locale} ${name}`, html);
        assert.ok(html.startsWith(`<!doctype html><html lang="${locale}"`));
        assert.doesNotMatch(html, /<script>alert/, `${name}: the injected script is escaped`);
        assert.ok(html.includes('&lt;script>alert(1)&lt;/script>'), `${name}: the name is shown, escaped`);
      }
    });
  }

  test('home: subscriptions with price, quantity, status and notices; payment methods; billing; invoices', () => {
    const html = renderHomePage(sampleHome());
    for (const text of [
      'Pro plan',
      '$15.00 per month',
      'Quantity 2',
      '>Active<',
      'Your next invoice of $30.00 is on March 15, 2026.',
      'Your trial ends on March 10, 2026.',
      '$45.00 every 3 months',
      'Your subscription will be canceled on March 21, 2026.',
      'Your subscription is paused until April 10, 2026.',
      'Visa ending in 4242',
      'Expires 12/2030',
      '>Default<',
      'Make default',
      'href="/p/payment-methods/new"',
      'Update information',
      '510 Townsend Street',
      'San Francisco, CA 94103',
      'EU VAT: DE123456789',
      'Invoice history',
      'ACME-0042',
      '>Overdue<',
      'href="/i/inv_secret_0"',
      'View more',
      'href="/p/subscriptions/sub_pro/cancel"',
      'Cancel subscription',
      'Return to Acme Analytics',
      'Your card has been added.',
      'Test mode',
    ])
      assert.ok(html.includes(text), `home shows ${text}`);
  });

  test('home: a switched-off feature has no section; no return link without a return URL', () => {
    const view = sampleHome();
    const html = renderHomePage({
      ...view,
      page: { ...view.page, returnUrl: null, testMode: false },
      paymentMethods: null,
      invoices: undefined,
    });
    assert.ok(!html.includes('Payment methods'));
    assert.ok(!html.includes('Invoice history'));
    assert.ok(html.includes('Billing information'));
    assert.ok(!html.includes('Return to'));
    assert.ok(!html.includes('Test mode'));
  });

  test('flow sessions hide navigation to the rest of the portal', () => {
    const view = sampleHome();
    const normal = renderHomePage(view);
    const flow = renderHomePage({ ...view, page: { ...view.page, flow: true } });
    assert.ok(normal.includes('<a class="business" href="/p/home">'));
    assert.ok(!flow.includes('href="/p/home"'));
    assert.ok(flow.includes('Return to Acme Analytics'), 'the return link stays as the way out');
  });

  test('unsafe URLs and other origins are dropped', () => {
    const html = renderHomePage({
      ...sampleHome(),
      page: sampleChromeWith({
        returnUrl: 'javascript:alert(1)',
        business: {
          name: 'Acme',
          logoUrl: 'https://cdn.example/logo.png',
          termsOfServiceUrl: 'data:text/html,x',
        },
      }),
    });
    assert.ok(!html.includes('Return to'));
    assert.ok(!html.includes('cdn.example'));
    assert.ok(!html.includes('data:text'));
    const logo = renderHomePage({
      ...sampleHome(),
      page: sampleChromeWith({ business: { name: 'Acme', logoUrl: '/files/logo.png' } }),
    });
    assert.ok(logo.includes('<img class="business__logo" src="/files/logo.png" alt="Acme"/>'));
  });

  test('billing form: summary links to each field in error, errors repeated by the fields, values kept', () => {
    const html = renderBillingInfoPage(sampleBillingInfo());
    assert.ok(html.includes('There is a problem'));
    assert.ok(html.includes('<a href="#email">Enter an email address in the correct format'));
    assert.ok(html.includes('<a href="#address-postal_code">ZIP code is required.</a>'));
    assert.ok(html.includes('<a href="#tax_id-value">Enter a valid tax ID'));
    assert.match(
      html,
      /id="email-error"[^>]*><span class="visually-hidden">Error: <\/span>Enter an email address/,
    );
    assert.match(html, /aria-describedby="email-hint email-error"/);
    assert.match(html, /id="email" name="email" type="email" value="jenny.rosen@example"/);
    assert.ok(html.includes('aria-invalid="true"'));
    // Country-aware address labels: US for the billing address, GB for shipping.
    assert.ok(html.includes('>ZIP code<') && html.includes('>State<'));
    assert.ok(html.includes('>Postcode<') && html.includes('>County<') && html.includes('>Town or city<'));
    assert.ok(html.includes('<option value="US" selected>United States</option>'));
    // Tax IDs: a type selector and a remove button in its own form.
    assert.ok(html.includes('name="tax_id[type]"'));
    assert.ok(html.includes('name="remove_tax_id" value="txi_1" form="remove-tax-id-txi_1"'));
    assert.ok(html.includes('<form method="post" action="/p/billing" id="remove-tax-id-txi_1"'));
    assert.ok(html.includes('>Save</button>'));
  });

  test('billing form: only the allowed fields; no error summary on first display', () => {
    const view = sampleBillingInfo({}, false);
    const html = renderBillingInfoPage({ ...view, allowed: { email: true } });
    assert.ok(!html.includes('There is a problem'));
    assert.ok(html.includes('name="email"'));
    assert.ok(!html.includes('name="name"'));
    assert.ok(!html.includes('address[line1]'));
    assert.ok(!html.includes('tax_id'));
    const locked = renderBillingInfoPage({
      ...view,
      allowed: { email: true, name: true },
      emailLocked: true,
    });
    assert.ok(!locked.includes('name="email"'));
  });

  test('addresses by country', () => {
    const view = sampleBillingInfo({}, false);
    const ca = renderBillingInfoPage({ ...view, values: { address: { country: 'CA' } } });
    assert.ok(ca.includes('>Province<') && ca.includes('>Postal code<'));
    const fr = renderBillingInfoPage({ ...view, values: { address: { country: 'FR' } } });
    assert.ok(fr.includes('State, province or region'));
  });

  test('add card: fields, test cards in test mode only, decline message as sent, no card number echoed', () => {
    const view = sampleAddCard();
    const html = renderAddCardPage({
      ...view,
      errors: [
        { field: 'number', message: 'Ihre Karte wurde abgelehnt.' },
        { field: 'cvc', code: 'incorrect_cvc' },
      ],
    });
    for (const text of [
      'autocomplete="cc-number"',
      'autocomplete="cc-exp"',
      'autocomplete="cc-csc"',
      'autocomplete="postal-code"',
      'MM / YY',
      '4242 4242 4242 4242',
      '4000 0000 0000 0002',
      '4000 0025 0000 3155',
      'Ihre Karte wurde abgelehnt.',
      "Your card's security code is incorrect.",
      '>Add card</button>',
      'value="12 / 30"',
    ])
      assert.ok(html.includes(text), `add card shows ${text}`);
    assert.match(html, /name="number" type="text" autocomplete="cc-number"/, 'the number is never sent back');
    const live = renderAddCardPage({ ...view, page: { ...view.page, testMode: false } });
    assert.ok(!live.includes('4242 4242 4242 4242'));
  });

  test('hosted invoice: parties, lines, discounts, totals, pay form with saved and new card', () => {
    const html = renderHostedInvoicePage(sampleHostedInvoice());
    for (const text of [
      'Invoice ACME-0042',
      'Due on March 31, 2026',
      'Download invoice (PDF)',
      'href="/i/inv_secret_0/pdf"',
      'Bill to',
      'Unter den Linden 1',
      '10117 Berlin',
      'Pro plan',
      '$15.00 each',
      'WELCOME (25% off)',
      '-$10.00',
      'Subtotal',
      '$40.00',
      'VAT 19%',
      'Amount due',
      '$35.70',
      'name="payment_method" value="pm_1" checked',
      'value="new"',
      'name="card[number]"',
      '>Pay $35.70</button>',
    ])
      assert.ok(html.includes(text), `invoice shows ${text}`);
    const view = sampleHostedInvoice();
    const paid = renderHostedInvoicePage({
      ...view,
      invoice: { ...view.invoice, status: 'paid', paidAt: view.invoice.date, amountPaid: view.invoice.total },
    });
    assert.ok(!paid.includes('<form'), 'a paid invoice has no pay form');
    assert.ok(paid.includes('Paid on March 1, 2026'));
  });

  test('expired page shows nothing of the customer and the return link when given', () => {
    const html = renderSessionExpiredPage({ page: sampleChrome() });
    assert.ok(html.includes('This link has expired'));
    assert.ok(html.includes('href="https://acme.example/account"'));
    assert.ok(!html.includes('href="/p/home"'));
    const none = renderSessionExpiredPage({ page: { ...sampleChrome(), returnUrl: null } });
    assert.ok(!none.includes('Return to'));
  });

  test('error page: coded message in the page language, generic fallback for unknown codes', () => {
    assert.ok(
      renderErrorPage({ page: sampleChrome({ locale: 'de' }), code: 'card_declined' }).includes(
        'Ihre Karte wurde abgelehnt.',
      ),
    );
    assert.ok(
      renderErrorPage({ page: sampleChrome(), code: 'no_such_code' }).includes(
        'Something went wrong. Try again',
      ),
    );
    assert.ok(renderErrorPage({ page: sampleChrome(), status: 404 }).includes('Page not found'));
  });

  test('German and Japanese pages speak their language, with local money and dates', () => {
    const de = plain(renderHomePage(sampleHome({ locale: 'de', currency: 'eur' })));
    for (const text of [
      'Abonnement kündigen',
      'Zahlungsmethoden',
      'Rechnungsverlauf',
      '15,00 € pro Monat',
      '15. März 2026',
    ])
      assert.ok(de.includes(text), `de shows ${text}`);
    const ja = renderHomePage(sampleHome({ locale: 'ja', currency: 'jpy' }));
    for (const text of ['月額 ￥1,500', 'お支払い方法', '請求履歴', '2026年3月15日'])
      assert.ok(ja.includes(text), `ja shows ${text}`);
  });
});

function sampleChromeWith(overrides: Partial<ReturnType<typeof sampleChrome>>) {
  return { ...sampleChrome(), ...overrides };
}
