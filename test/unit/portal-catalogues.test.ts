import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { UI_LOCALES } from '../../src/portal/ui/i18n/locale.ts';
import { fallbackChain, i18n, type MessageKey, REGIONAL_BASE } from '../../src/portal/ui/i18n/messages.ts';
import { CATALOGUE_FILES } from '../../src/portal/ui/locales/index.ts';

const english = CATALOGUE_FILES.en;
const englishKeys = Object.keys(english).sort();

/** A parsed message element, as far as this test reads it. */
interface Element {
  type: number;
  value?: unknown;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}

/** ICU element types without an argument name: literal text (0) and `#` in a plural (7). */
const NO_ARGUMENT = new Set([0, 7]);

/** The argument names a message uses, nested plurals and selects included. */
function argumentsOf(elements: Element[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (NO_ARGUMENT.has(el.type)) continue;
    if (typeof el.value === 'string') into.add(el.value);
    for (const option of Object.values(el.options ?? {})) argumentsOf(option.value, into);
    if (el.children) argumentsOf(el.children, into);
  }
  return into;
}

const argsOf = (text: string, locale: string) =>
  [...argumentsOf(new IntlMessageFormat(text, locale).getAst() as Element[])].sort();

describe('portal message catalogues', () => {
  test('there is a catalogue for each of the portal locales', () => {
    assert.equal(UI_LOCALES.length, 46, 'the 47 portal locales less auto');
    assert.deepEqual(Object.keys(CATALOGUE_FILES).sort(), [...UI_LOCALES].sort());
  });

  test('base catalogues have exactly the English keys', () => {
    for (const locale of UI_LOCALES) {
      if (REGIONAL_BASE[locale]) continue;
      const keys = Object.keys(CATALOGUE_FILES[locale]).sort();
      const missing = englishKeys.filter((k) => !keys.includes(k));
      const extra = keys.filter((k) => !(k in english));
      assert.deepEqual(missing, [], `${locale} lacks keys`);
      assert.deepEqual(extra, [], `${locale} has keys English does not`);
    }
  });

  test('regional catalogues hold only known keys, and fall back to their base language', () => {
    for (const [locale, base] of Object.entries(REGIONAL_BASE)) {
      const extra = Object.keys(CATALOGUE_FILES[locale as keyof typeof CATALOGUE_FILES]).filter(
        (k) => !(k in english),
      );
      assert.deepEqual(extra, [], `${locale} has keys English does not`);
      assert.equal(locale.split('-')[0], base.split('-')[0], `${locale} falls back within its language`);
    }
    assert.deepEqual(fallbackChain('zh-HK'), ['zh-HK', 'zh-TW', 'zh', 'en']);
    assert.deepEqual(fallbackChain('fr-CA'), ['fr-CA', 'fr', 'en']);
    assert.deepEqual(fallbackChain('de'), ['de', 'en']);
  });

  test('every message is valid ICU and uses the arguments of its English original', () => {
    for (const locale of UI_LOCALES) {
      for (const [key, text] of Object.entries(CATALOGUE_FILES[locale])) {
        let args: string[];
        try {
          args = argsOf(text, locale);
        } catch (error) {
          assert.fail(`${locale} ${key}: ${(error as Error).message}`);
        }
        assert.deepEqual(args, argsOf(english[key] ?? '', 'en'), `${locale} ${key}`);
      }
    }
  });

  test('every message formats in every locale with sample arguments', () => {
    const values = {
      amount: '$1.00',
      business: 'Acme',
      brand: 'Visa',
      last4: '4242',
      card: 'Visa ending in 4242',
      count: 2,
      date: 'March 1, 2026',
      email: 'jenny@example.com',
      start: 'March 1, 2026',
      end: 'April 1, 2026',
      example: 'DE123456789',
      field: 'Email',
      interval: 'month',
      minutes: 10,
      number: 'ACME-1',
      page: 1,
      pages: 3,
      price: '$1.00 per month',
      product: 'Pro',
      receiptNumber: '1234-5678',
      min: 1,
      max: 5,
      name: 'VAT',
      percentage: '20',
    };
    for (const locale of UI_LOCALES) {
      const { t } = i18n(locale);
      for (const key of englishKeys) {
        const text = t(key as MessageKey, values);
        assert.ok(text.length > 0, `${locale} ${key}`);
        assert.doesNotMatch(text, /\{|\}/, `${locale} ${key} left a placeholder: ${text}`);
      }
    }
  });

  test('plurals and regional fallbacks', () => {
    const en = i18n('en');
    assert.equal(en.t('home.subscriptions.title', { count: 1 }), 'Current subscription');
    assert.equal(en.t('home.subscriptions.title', { count: 3 }), 'Current subscriptions');
    assert.equal(
      en.t('price.recurring', { amount: '$15.00', interval: 'month', count: 1 }),
      '$15.00 per month',
    );
    assert.equal(
      en.t('price.recurring', { amount: '$45.00', interval: 'month', count: 3 }),
      '$45.00 every 3 months',
    );
    assert.equal(
      i18n('en-GB').t('home.title'),
      en.t('home.title'),
      'a key en-GB does not change comes from en',
    );
  });
});
