// Sample view models for every portal page: the render tests and scripts/portal-preview.ts use them.
import type {
  AddCardView,
  BillingInfoView,
  BusinessView,
  ErrorPageView,
  FlowCompleteView,
  HomeView,
  HostedInvoiceView,
  InvoiceListView,
  InvoiceRowView,
  PageChrome,
  RemovePaymentMethodView,
  SessionExpiredView,
  ThreeDSecureView,
  UiLocale,
} from '../../src/portal/ui/index.ts';
import {
  renderAddCardPage,
  renderBillingInfoPage,
  renderErrorPage,
  renderFlowCompletePage,
  renderHomePage,
  renderHostedInvoicePage,
  renderInvoiceListPage,
  renderRemovePaymentMethodPage,
  renderSessionExpiredPage,
  renderThreeDSecurePage,
} from '../../src/portal/ui/index.ts';

import { renderSubscriptionSamples } from './portal-subscription-samples.ts';

export const SAMPLE_NONCE = 'n0nce-Sample-123';
export const SAMPLE_CSRF = 'csrf-token-sample';

const day = 86_400;
/** 2026-03-01 00:00 UTC. */
const now = 1_772_323_200;

export interface SampleOptions {
  locale?: UiLocale;
  business?: Partial<BusinessView>;
  testMode?: boolean;
  customerName?: string;
  currency?: string;
}

export function sampleChrome(o: SampleOptions = {}): PageChrome {
  return {
    locale: o.locale ?? 'en',
    nonce: SAMPLE_NONCE,
    testMode: o.testMode ?? true,
    business: {
      name: 'Acme Analytics',
      termsOfServiceUrl: 'https://acme.example/terms',
      privacyPolicyUrl: 'https://acme.example/privacy',
      primaryColor: '#635bff',
      ...o.business,
    },
    returnUrl: 'https://acme.example/account',
    assets: { css: '/p/assets/portal.css', js: '/p/assets/portal.js' },
    homeUrl: '/p/home',
  };
}

const usd = (amount: number, currency = 'usd') => ({ amount, currency });

function invoiceRows(currency: string, count = 4): InvoiceRowView[] {
  const statuses = ['open', 'paid', 'paid', 'paid', 'void', 'paid', 'uncollectible'] as const;
  return Array.from({ length: count }, (_, k) => ({
    id: `in_${k}`,
    number: `ACME-00${42 - k}`,
    date: now - k * 30 * day,
    amount: usd(k === 0 ? 3000 : 1500, currency),
    status: statuses[k % statuses.length]!,
    overdue: k === 0,
    url: `/i/inv_secret_${k}`,
  }));
}

export function sampleHome(o: SampleOptions = {}): HomeView {
  const currency = o.currency ?? 'usd';
  return {
    page: sampleChrome(o),
    csrfToken: SAMPLE_CSRF,
    notice: 'card_added',
    subscriptions: [
      {
        id: 'sub_pro',
        status: 'active',
        items: [
          {
            productName: 'Pro plan',
            description: 'Dashboards, alerts and 10 team seats',
            price: { amount: usd(1500, currency), interval: 'month' },
            quantity: 2,
          },
        ],
        nextInvoice: { date: now + 14 * day, amount: usd(3000, currency) },
        actions: [
          { kind: 'update', url: '/p/subscriptions/sub_pro/update' },
          { kind: 'cancel', url: '/p/subscriptions/sub_pro/cancel' },
        ],
      },
      {
        id: 'sub_trial',
        status: 'trialing',
        items: [
          { productName: 'Data warehouse add-on', price: { amount: usd(9000, currency), interval: 'year' } },
        ],
        trialEnd: now + 9 * day,
        nextInvoice: { date: now + 9 * day, amount: usd(9000, currency) },
      },
      {
        id: 'sub_cancel',
        status: 'active',
        items: [
          {
            productName: 'Reports',
            price: { amount: usd(4500, currency), interval: 'month', intervalCount: 3 },
          },
        ],
        cancelAt: now + 20 * day,
        actions: [{ kind: 'renew', url: '/p/subscriptions/sub_cancel/renew' }],
      },
      {
        id: 'sub_paused',
        status: 'paused',
        items: [{ productName: 'Backup storage', price: { amount: usd(500, currency), interval: 'month' } }],
        resumesAt: now + 40 * day,
      },
    ],
    paymentMethods: {
      items: [
        {
          id: 'pm_1',
          type: 'card',
          brand: 'visa',
          last4: '4242',
          expMonth: 12,
          expYear: 2030,
          isDefault: true,
          removeUrl: '/p/payment-methods/pm_1/remove',
        },
        {
          id: 'pm_2',
          type: 'card',
          brand: 'mastercard',
          last4: '4444',
          expMonth: 1,
          expYear: 2026,
          expired: true,
          setDefaultUrl: '/p/payment-methods/pm_2/default',
          removeUrl: '/p/payment-methods/pm_2/remove',
        },
      ],
      addUrl: '/p/payment-methods/new',
    },
    billing: {
      name: o.customerName ?? 'Jenny Rosen',
      email: 'jenny.rosen@example.com',
      phone: '+1 415 555 0100',
      address: {
        line1: '510 Townsend Street',
        city: 'San Francisco',
        state: 'CA',
        postalCode: '94103',
        country: 'US',
      },
      taxIds: [{ type: 'eu_vat', value: 'DE123456789' }],
      updateUrl: '/p/billing',
    },
    invoices: { items: invoiceRows(currency), moreUrl: '/p/invoices' },
  };
}

export function sampleBillingInfo(o: SampleOptions = {}, withErrors = true): BillingInfoView {
  return {
    page: sampleChrome(o),
    csrfToken: SAMPLE_CSRF,
    action: '/p/billing',
    cancelUrl: '/p/home',
    allowed: { name: true, email: true, phone: true, address: true, shipping: true, taxIds: true },
    values: {
      name: o.customerName ?? 'Jenny Rosen',
      email: 'jenny.rosen@example',
      phone: '',
      address: {
        line1: '510 Townsend Street',
        city: 'San Francisco',
        state: 'CA',
        postalCode: '',
        country: 'US',
      },
      shipping: {
        name: 'Jenny Rosen',
        address: { line1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' },
      },
      taxIds: [{ id: 'txi_1', type: 'eu_vat', value: 'DE123456789' }],
      newTaxId: { type: 'gb_vat', value: 'GB12' },
    },
    errors: withErrors
      ? [
          { field: 'email', code: 'email_invalid' },
          { field: 'address[postal_code]', code: 'parameter_missing' },
          { field: 'tax_id[value]', code: 'tax_id_invalid' },
        ]
      : [],
  };
}

export function sampleAddCard(o: SampleOptions = {}): AddCardView {
  return {
    page: sampleChrome(o),
    csrfToken: SAMPLE_CSRF,
    action: '/p/payment-methods/new',
    cancelUrl: '/p/home',
    values: { exp: '12 / 30', postalCode: '94103' },
    errors: [{ field: 'number', code: 'card_declined' }],
    becomesDefault: true,
  };
}

export function sampleRemoveCard(o: SampleOptions = {}, blocked = false): RemovePaymentMethodView {
  return {
    page: sampleChrome(o),
    csrfToken: SAMPLE_CSRF,
    action: '/p/payment-methods/pm_1/remove',
    cancelUrl: '/p/home',
    paymentMethod: {
      id: 'pm_1',
      type: 'card',
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2030,
      isDefault: true,
    },
    blocked: blocked ? 'last_with_active_subscription' : null,
    addUrl: '/p/payment-methods/new',
    replacement: {
      id: 'pm_2',
      type: 'card',
      brand: 'mastercard',
      last4: '4444',
      expMonth: 3,
      expYear: 2031,
      isDefault: false,
    },
  };
}

export function sampleThreeDS(o: SampleOptions = {}): ThreeDSecureView {
  return {
    page: sampleChrome(o),
    csrfToken: SAMPLE_CSRF,
    action: '/p/authenticate/seti_1',
    amount: usd(1200, o.currency ?? 'usd'),
    paymentMethod: { id: 'pm_3', type: 'card', brand: 'visa', last4: '3155' },
    cancelUrl: '/p/home',
  };
}

export function sampleInvoiceList(o: SampleOptions = {}): InvoiceListView {
  return {
    page: sampleChrome(o),
    items: invoiceRows(o.currency ?? 'usd', 7),
    olderUrl: '/p/invoices?starting_after=in_6',
    newerUrl: '/p/invoices?ending_before=in_0',
    backUrl: '/p/home',
  };
}

export function sampleHostedInvoice(o: SampleOptions = {}): HostedInvoiceView {
  const currency = o.currency ?? 'usd';
  return {
    page: { ...sampleChrome(o), homeUrl: null, returnUrl: null },
    csrfToken: SAMPLE_CSRF,
    invoice: {
      number: 'ACME-0042',
      status: 'open',
      date: now,
      dueDate: now + 30 * day,
      memo: 'Thank you for your business.',
      business: {
        name: o.business?.name ?? 'Acme Analytics',
        email: 'billing@acme.example',
        address: {
          line1: '1 Market Street',
          city: 'San Francisco',
          state: 'CA',
          postalCode: '94105',
          country: 'US',
        },
      },
      customer: {
        name: o.customerName ?? 'Jenny Rosen',
        email: 'jenny.rosen@example.com',
        address: { line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' },
        taxIds: [{ type: 'eu_vat', value: 'DE123456789' }],
      },
      lines: [
        {
          description: 'Pro plan',
          quantity: 2,
          unitAmount: usd(1500, currency),
          amount: usd(3000, currency),
          period: { start: now, end: now + 31 * day },
        },
        { description: 'Onboarding workshop', quantity: 1, amount: usd(1000, currency) },
      ],
      subtotal: usd(4000, currency),
      discounts: [{ name: 'WELCOME (25% off)', amount: usd(1000, currency) }],
      taxes: [{ name: 'VAT 19%', amount: usd(570, currency) }],
      total: usd(3570, currency),
      amountDue: usd(3570, currency),
      amountPaid: usd(0, currency),
      amountRemaining: usd(3570, currency),
      pdfUrl: '/i/inv_secret_0/pdf',
    },
    pay: {
      action: '/i/inv_secret_0/pay',
      savedMethods: [
        {
          id: 'pm_1',
          type: 'card',
          brand: 'visa',
          last4: '4242',
          expMonth: 12,
          expYear: 2030,
          isDefault: true,
        },
      ],
      selected: 'pm_1',
    },
  };
}

export function sampleExpired(o: SampleOptions = {}): SessionExpiredView {
  return { page: sampleChrome(o) };
}

export function sampleFlowComplete(o: SampleOptions = {}): FlowCompleteView {
  return {
    page: { ...sampleChrome(o), flow: true },
    kind: 'subscription_cancel',
    customMessage: 'We are sorry to see you go. Your data stays available for 30 days.',
    summary: ['Pro plan'],
  };
}

export function sampleError(o: SampleOptions = {}): ErrorPageView {
  return { page: sampleChrome(o), status: 500, code: 'internal', requestId: 'req_8aXk2Lm' };
}

/** Every page rendered from its sample, by name. */
export function renderSamples(o: SampleOptions = {}): Record<string, string> {
  return {
    home: renderHomePage(sampleHome(o)),
    'billing-info': renderBillingInfoPage(sampleBillingInfo(o)),
    'add-card': renderAddCardPage(sampleAddCard(o)),
    'remove-card': renderRemovePaymentMethodPage(sampleRemoveCard(o)),
    'remove-card-blocked': renderRemovePaymentMethodPage(sampleRemoveCard(o, true)),
    '3ds': renderThreeDSecurePage(sampleThreeDS(o)),
    invoices: renderInvoiceListPage(sampleInvoiceList(o)),
    'hosted-invoice': renderHostedInvoicePage(sampleHostedInvoice(o)),
    expired: renderSessionExpiredPage(sampleExpired(o)),
    'flow-complete': renderFlowCompletePage(sampleFlowComplete(o)),
    error: renderErrorPage(sampleError(o)),
    ...renderSubscriptionSamples(sampleChrome(o), SAMPLE_CSRF),
  };
}
