import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { previousAttributes } from '../../src/events/diff.ts';

type Obj = Record<string, unknown>;

const address = (city: string | null) => ({
  city,
  country: 'FR',
  line1: '1 Main St',
  line2: null,
  postal_code: '75001',
  state: null,
});

describe('previousAttributes', () => {
  const cases: [string, Obj, Obj, Obj][] = [
    [
      'nothing changed',
      { id: 'cus_1', name: 'A', metadata: { a: '1' } },
      { id: 'cus_1', name: 'A', metadata: { a: '1' } },
      {},
    ],
    ['a scalar changed', { name: 'A', email: 'a@x.io' }, { name: 'B', email: 'a@x.io' }, { name: 'A' }],
    ['a number changed', { balance: 0 }, { balance: -500 }, { balance: 0 }],
    ['a boolean changed', { delinquent: false }, { delinquent: true }, { delinquent: false }],
    ['a type change of equal-looking values', { balance: 1 }, { balance: '1' }, { balance: 1 }],
    ['null → value shows null', { phone: null }, { phone: '+33123' }, { phone: null }],
    ['value → null shows the old value', { phone: '+33123' }, { phone: null }, { phone: '+33123' }],
    [
      'a field absent before shows null',
      { name: 'A' },
      { name: 'A', business_name: 'Acme' },
      { business_name: null },
    ],
    [
      'a field removed shows its old value',
      { name: 'A', business_name: 'Acme' },
      { name: 'A' },
      { business_name: 'Acme' },
    ],
    [
      'several fields at once',
      { name: 'A', email: null, phone: 'p' },
      { name: 'B', email: 'e', phone: 'p' },
      { name: 'A', email: null },
    ],
    [
      'metadata: a key added shows null',
      { metadata: { a: '1' } },
      { metadata: { a: '1', b: '2' } },
      { metadata: { b: null } },
    ],
    [
      'metadata: a key changed shows only that key',
      { metadata: { a: '1', b: '2' } },
      { metadata: { a: '1', b: '3' } },
      { metadata: { b: '2' } },
    ],
    [
      'metadata: a key deleted shows its old value',
      { metadata: { a: '1', b: '2' } },
      { metadata: { a: '1' } },
      { metadata: { b: '2' } },
    ],
    [
      'metadata: all keys cleared',
      { metadata: { a: '1', b: '2' } },
      { metadata: {} },
      { metadata: { a: '1', b: '2' } },
    ],
    [
      'metadata: first key on an empty hash',
      { metadata: {} },
      { metadata: { a: '1' } },
      { metadata: { a: null } },
    ],
    [
      'address: only the changed key',
      { address: address('Paris') },
      { address: address('Lyon') },
      { address: { city: 'Paris' } },
    ],
    [
      'address: hash → null shows the whole old hash',
      { address: address('Paris') },
      { address: null },
      { address: address('Paris') },
    ],
    ['address: null → hash shows null', { address: null }, { address: address('Paris') }, { address: null }],
    [
      'nested hashes two levels deep show only the changed leaf',
      { invoice_settings: { footer: 'f', rendering_options: { amount_tax_display: null, template: 'a' } } },
      { invoice_settings: { footer: 'f', rendering_options: { amount_tax_display: null, template: 'b' } } },
      { invoice_settings: { rendering_options: { template: 'a' } } },
    ],
    [
      'a nested hash that became null inside a hash',
      { invoice_settings: { footer: 'f', rendering_options: { template: 'a' } } },
      { invoice_settings: { footer: 'f', rendering_options: null } },
      { invoice_settings: { rendering_options: { template: 'a' } } },
    ],
    [
      'arrays appear whole when an element is added',
      { preferred_locales: ['en'] },
      { preferred_locales: ['en', 'fr'] },
      { preferred_locales: ['en'] },
    ],
    [
      'arrays appear whole when reordered',
      { preferred_locales: ['en', 'fr'] },
      { preferred_locales: ['fr', 'en'] },
      { preferred_locales: ['en', 'fr'] },
    ],
    [
      'an emptied array appears whole',
      { preferred_locales: ['en', 'fr'] },
      { preferred_locales: [] },
      { preferred_locales: ['en', 'fr'] },
    ],
    [
      'an array of hashes appears whole',
      {
        custom_fields: [
          { name: 'PO', value: '1' },
          { name: 'VAT', value: 'x' },
        ],
      },
      {
        custom_fields: [
          { name: 'PO', value: '2' },
          { name: 'VAT', value: 'x' },
        ],
      },
      {
        custom_fields: [
          { name: 'PO', value: '1' },
          { name: 'VAT', value: 'x' },
        ],
      },
    ],
    [
      'an unchanged array is left out',
      { preferred_locales: ['en'], name: 'A' },
      { preferred_locales: ['en'], name: 'B' },
      { name: 'A' },
    ],
    [
      'a hash replaced by a scalar shows the old hash',
      { test_clock: { id: 'clock_1' } },
      { test_clock: 'clock_1' },
      { test_clock: { id: 'clock_1' } },
    ],
    [
      'a scalar replaced by a hash shows the old scalar',
      { test_clock: 'clock_1' },
      { test_clock: { id: 'clock_1' } },
      { test_clock: 'clock_1' },
    ],
    [
      'a hash with the same keys in another order is unchanged',
      { address: { city: 'Paris', line1: 'x' }, name: 'A' },
      { address: { line1: 'x', city: 'Paris' }, name: 'B' },
      { name: 'A' },
    ],
  ];
  for (const [name, before, after, expected] of cases) {
    test(name, () => assert.deepEqual(previousAttributes(before, after), expected));
  }

  test('the inputs are not modified', () => {
    const before = { name: 'A', metadata: { a: '1' }, address: address('Paris') };
    const after = { name: 'B', metadata: { a: '2' }, address: null };
    const snapshot = structuredClone({ before, after });
    previousAttributes(before, after);
    assert.deepEqual({ before, after }, snapshot);
  });

  test('a customer update as the service does it', () => {
    const before = {
      id: 'cus_1',
      object: 'customer',
      address: null,
      balance: 0,
      email: 'a@x.io',
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      },
      metadata: { plan: 'pro' },
      name: 'Jenny',
      preferred_locales: [],
    };
    const after = {
      ...structuredClone(before),
      address: address('Paris'),
      email: 'b@x.io',
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: 'Thanks',
        rendering_options: null,
      },
      metadata: { seats: '3' },
    };
    assert.deepEqual(previousAttributes(before, after), {
      address: null,
      email: 'a@x.io',
      invoice_settings: { footer: null },
      metadata: { plan: 'pro', seats: null },
    });
  });
});
