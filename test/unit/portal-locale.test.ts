import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchLocale, parseAcceptLanguage, resolveLocale } from '../../src/portal/ui/i18n/locale.ts';

describe('portal locale resolution', () => {
  const matches: [string, string | undefined][] = [
    ['de', 'de'],
    ['DE', 'de'],
    ['de-AT', 'de'],
    ['en-US', 'en'],
    ['en-GB', 'en-GB'],
    ['en_gb', 'en-GB'],
    ['en-ZA', 'en'],
    ['es-419', 'es-419'],
    ['es-MX', 'es-419'],
    ['es-AR', 'es-419'],
    ['es-ES', 'es'],
    ['fr-CA', 'fr-CA'],
    ['fr-BE', 'fr'],
    ['pt-BR', 'pt-BR'],
    ['pt-PT', 'pt'],
    ['zh', 'zh'],
    ['zh-CN', 'zh'],
    ['zh-Hans-CN', 'zh'],
    ['zh-TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh-Hant-HK', 'zh-HK'],
    ['zh-HK', 'zh-HK'],
    ['zh-MO', 'zh-HK'],
    ['no', 'nb'],
    ['nb-NO', 'nb'],
    ['nn', 'nb'],
    ['fil-PH', 'fil'],
    ['tl', 'fil'],
    ['sr', undefined],
    ['auto', undefined],
    ['*', undefined],
    ['', undefined],
  ];
  for (const [tag, expected] of matches)
    test(`${JSON.stringify(tag)} → ${expected ?? 'no match'}`, () =>
      assert.equal(matchLocale(tag), expected));

  test('Accept-Language in order of q-value, ties in header order, q=0 and * dropped', () => {
    assert.deepEqual(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5'), [
      'fr-CH',
      'fr',
      'en',
      'de',
    ]);
    assert.deepEqual(parseAcceptLanguage('en;q=0.5, ja, de;q=0'), ['ja', 'en']);
    assert.deepEqual(parseAcceptLanguage('da;q=0.8, sv;q=0.8'), ['da', 'sv']);
    assert.deepEqual(parseAcceptLanguage(''), []);
    assert.deepEqual(parseAcceptLanguage(undefined), []);
    assert.deepEqual(parseAcceptLanguage('xx;q=abc'), []);
  });

  const resolutions: [string, Parameters<typeof resolveLocale>[0], string][] = [
    ['session locale wins', { sessionLocale: 'fr', preferredLocales: ['de'], acceptLanguage: 'ja' }, 'fr'],
    ['session region kept', { sessionLocale: 'fr-CA', acceptLanguage: 'ja' }, 'fr-CA'],
    [
      'auto: preferred locales',
      { sessionLocale: 'auto', preferredLocales: ['de-CH'], acceptLanguage: 'ja' },
      'de',
    ],
    ['absent: preferred locales', { preferredLocales: ['xx', 'sv'], acceptLanguage: 'ja' }, 'sv'],
    [
      'no usable preference: browser',
      { sessionLocale: 'auto', preferredLocales: ['xx'], acceptLanguage: 'ja' },
      'ja',
    ],
    ['browser by q-value', { acceptLanguage: 'xx, it;q=0.4, es-MX;q=0.9' }, 'es-419'],
    ['nothing: English', { sessionLocale: null, preferredLocales: null, acceptLanguage: null }, 'en'],
    ['nothing usable: English', { acceptLanguage: 'xx, yy;q=0.5' }, 'en'],
  ];
  for (const [name, inputs, expected] of resolutions)
    test(name, () => assert.equal(resolveLocale(inputs), expected));
});
