import { IntlMessageFormat } from 'intl-messageformat';
import type en from '../locales/en.json';
import { CATALOGUE_FILES } from '../locales/index.ts';
import { countryName, formatDate, formatMoney, type Money } from './format.ts';
import type { UiLocale } from './locale.ts';

/** Every message key, as the English catalogue has them: `t('home.subscriptions.title')` is checked. */
export type MessageKey = keyof typeof en;

/** Values an ICU message may quote: strings, numbers (plurals) and dates. */
export type MessageValues = Record<string, string | number | Date>;

/**
 * Regional catalogues hold only what differs from their base language; a key they lack is read
 * from the base (`en-GB` → `en`, `es-419` → `es`, `zh-HK` → `zh-TW` → `zh`). Base catalogues are
 * complete (test/unit/portal-catalogues.test.ts).
 */
export const REGIONAL_BASE: Partial<Record<UiLocale, UiLocale>> = {
  'en-AU': 'en',
  'en-CA': 'en',
  'en-GB': 'en',
  'en-IE': 'en',
  'en-IN': 'en',
  'en-NZ': 'en',
  'en-SG': 'en',
  'es-419': 'es',
  'fr-CA': 'fr',
  'pt-BR': 'pt',
  'zh-HK': 'zh-TW',
  'zh-TW': 'zh',
};

/** The locales a key is looked up in, the locale itself first, English last. */
export function fallbackChain(locale: UiLocale): UiLocale[] {
  const chain: UiLocale[] = [];
  for (let l: UiLocale | undefined = locale; l; l = REGIONAL_BASE[l]) chain.push(l);
  if (!chain.includes('en')) chain.push('en');
  return chain;
}

/** The text of one message in a locale, after fallback. */
export function messageText(locale: UiLocale, key: MessageKey): string {
  for (const l of fallbackChain(locale)) {
    const text = CATALOGUE_FILES[l][key];
    if (text !== undefined) return text;
  }
  return key;
}

/** Compiled messages per locale, filled the first time each message is used. */
const compiled = new Map<UiLocale, Map<string, IntlMessageFormat>>();

function compiledMessage(locale: UiLocale, key: MessageKey): IntlMessageFormat {
  let forLocale = compiled.get(locale);
  if (!forLocale) {
    forLocale = new Map();
    compiled.set(locale, forLocale);
  }
  let message = forLocale.get(key);
  if (!message) {
    message = new IntlMessageFormat(messageText(locale, key), locale);
    forLocale.set(key, message);
  }
  return message;
}

/** What a page needs to speak the customer's language: messages, money, dates, country names. */
export interface I18n {
  locale: UiLocale;
  /** A message with its ICU arguments filled in. */
  t(key: MessageKey, values?: MessageValues): string;
  money(money: Money): string;
  date(unixSeconds: number): string;
  country(code: string): string;
}

export function i18n(locale: UiLocale, timeZone = 'UTC'): I18n {
  return {
    locale,
    t(key, values) {
      const out = compiledMessage(locale, key).format(values);
      return typeof out === 'string' ? out : String(out);
    },
    money: (money) => formatMoney(money, locale),
    date: (seconds) => formatDate(seconds, locale, timeZone),
    country: (code) => countryName(code, locale),
  };
}

/** Whether a string is a message key (error codes arrive as data). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(CATALOGUE_FILES.en, key);
}
