import { PORTAL_LOCALES, type PortalLocale } from '../../../billing/portal/sessions/locales.ts';

/** A locale the hosted pages are written in: Stripe's portal locales less `auto`. */
export type UiLocale = Exclude<PortalLocale, 'auto'>;

export const UI_LOCALES: readonly UiLocale[] = PORTAL_LOCALES.filter((l): l is UiLocale => l !== 'auto');

const BY_LOWER = new Map<string, UiLocale>(UI_LOCALES.map((l) => [l.toLowerCase(), l]));

/** Spanish as written in Latin America (UN M.49 region 419 and its countries) reads `es-419`. */
const LATIN_AMERICA = new Set(
  '419 AR BO BR BZ CL CO CR CU DO EC GT HN MX NI PA PE PR PY SV US UY VE'.toLowerCase().split(' '),
);

/** Tags that name a supported locale under another spelling (script subtags, older codes). */
const ALIASES: Record<string, UiLocale> = {
  no: 'nb',
  nn: 'nb',
  tl: 'fil',
  in: 'id',
  'zh-hans': 'zh',
  'zh-cn': 'zh',
  'zh-sg': 'zh',
  'zh-my': 'zh',
  'zh-hant': 'zh-TW',
  'zh-mo': 'zh-HK',
};

/**
 * The supported locale a language tag asks for, or undefined: the exact tag (any case, `_` or
 * `-`), then the tag less its script (`zh-Hant-HK` → `zh-HK`), Latin-American Spanish as
 * `es-419`, Chinese scripts, then the base language (`fr-CA` exists, `fr-BE` → `fr`, `en-US` → `en`).
 */
export function matchLocale(tag: string): UiLocale | undefined {
  const clean = tag.trim().replace(/_/g, '-').toLowerCase();
  if (!clean || clean === '*' || clean === 'auto') return undefined;
  const exact = BY_LOWER.get(clean) ?? ALIASES[clean];
  if (exact) return exact;
  const parts = clean.split('-');
  const language = parts[0]!;
  const script = parts.find((p, i) => i > 0 && p.length === 4);
  const region = parts.find((p, i) => i > 0 && (p.length === 2 || /^\d{3}$/.test(p)));
  if (language === 'zh') {
    if (region && BY_LOWER.has(`zh-${region}`)) return BY_LOWER.get(`zh-${region}`);
    if (region === 'mo') return 'zh-HK';
    if (script === 'hant') return 'zh-TW';
    return 'zh';
  }
  if (region) {
    const regional = BY_LOWER.get(`${language}-${region}`);
    if (regional) return regional;
    if (language === 'es' && LATIN_AMERICA.has(region)) return 'es-419';
  }
  return BY_LOWER.get(language) ?? ALIASES[language];
}

/** The languages of an `Accept-Language` header, most wanted first (q=0 and `*` dropped). */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const entries: { tag: string; q: number; index: number }[] = [];
  header.split(',').forEach((part, index) => {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag?.trim();
    if (!tag || tag === '*') return;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    if (q > 0) entries.push({ tag, q, index });
  });
  entries.sort((a, b) => b.q - a.q || a.index - b.index);
  return entries.map((e) => e.tag);
}

export interface LocaleInputs {
  /** The session's `locale` (`auto` or absent leaves the choice to what follows). */
  sessionLocale?: string | null;
  /** The customer's `preferred_locales`, in order. */
  preferredLocales?: readonly string[] | null;
  /** The request's `Accept-Language` header. */
  acceptLanguage?: string | null;
}

/**
 * The locale of a page: the session's, unless absent or `auto`; else the first supported of the
 * customer's preferred locales; else the browser's languages by q-value; else English.
 */
export function resolveLocale(inputs: LocaleInputs): UiLocale {
  if (inputs.sessionLocale && inputs.sessionLocale !== 'auto') {
    const fromSession = matchLocale(inputs.sessionLocale);
    if (fromSession) return fromSession;
  }
  for (const tag of inputs.preferredLocales ?? []) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  for (const tag of parseAcceptLanguage(inputs.acceptLanguage)) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return 'en';
}

/** Whether a string names one of the page locales exactly as listed. */
export const isUiLocale = (value: string): value is UiLocale =>
  (UI_LOCALES as readonly string[]).includes(value);
