/**
 * The portal's colours from an account's branding. Whatever the brand colour, text drawn on it and
 * brand-coloured text drawn on the page keep WCAG AA contrast (4.5:1): the CSS only ever uses the
 * pairs computed here. Pure functions, no DOM.
 */

export type Rgb = readonly [number, number, number];

/** AA for body text. */
export const AA_TEXT = 4.5;

/**
 * The surfaces brand-coloured text is checked against: the darkest of portal.css's light
 * backgrounds (`--surface-sunken`) and the lightest of its dark ones (dark `--surface-sunken`),
 * so the ink reads on every background of the scheme.
 */
export const LIGHT_SURFACE = '#f6f8fa';
export const DARK_SURFACE = '#22262d';

export const DEFAULT_PRIMARY = '#0b5cad';
export const DEFAULT_SECONDARY = '#5a6b7f';

/** `#rgb` or `#rrggbb` (any case, `#` optional) → RGB, or undefined when it is not a colour. */
export function parseHex(value: string | null | undefined): Rgb | undefined {
  if (!value) return undefined;
  const hex = value.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) {
    return [0, 1, 2].map((i) => Number.parseInt(hex[i]! + hex[i]!, 16)) as unknown as Rgb;
  }
  if (/^[0-9a-f]{6}$/i.test(hex)) {
    return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  return undefined;
}

export function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance(rgb: Rgb): number {
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

/** WCAG contrast ratio of two colours, 1 to 21, the same whichever comes first. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const NEAR_BLACK: Rgb = [17, 20, 24];
const BLACK: Rgb = [0, 0, 0];

/**
 * The text colour for a filled background: white or near-black, whichever contrasts more, and pure
 * black for the few mid-tones where near-black falls short. White or black always reaches 4.5:1
 * (the worst background still gives about 4.58:1).
 */
export function textOn(background: Rgb): Rgb {
  const best = contrast(WHITE, background) >= contrast(NEAR_BLACK, background) ? WHITE : NEAR_BLACK;
  if (contrast(best, background) >= AA_TEXT) return best;
  return contrast(WHITE, background) >= contrast(BLACK, background) ? WHITE : BLACK;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

/**
 * The colour nearest to `color` (mixed towards black or white, whichever the surface needs) that
 * reads at `ratio` on `surface`: the brand colour itself when it already does. Used for links and
 * outlines in the brand colour.
 */
export function readableOn(color: Rgb, surface: Rgb, ratio = AA_TEXT): Rgb {
  const rounded = (c: Rgb) => parseHex(toHex(c))!;
  if (contrast(rounded(color), surface) >= ratio) return rounded(color);
  const target: Rgb = luminance(surface) > 0.18 ? [0, 0, 0] : WHITE;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (contrast(rounded(mix(color, target, mid)), surface) >= ratio) hi = mid;
    else lo = mid;
  }
  // `hi` always passes; rounding to whole channels may cost a hair, so step on until it holds.
  let t = hi;
  let out = rounded(mix(color, target, t));
  while (contrast(out, surface) < ratio && t < 1) {
    t = Math.min(1, t + 0.01);
    out = rounded(mix(color, target, t));
  }
  return out;
}

export interface Theme {
  /** Filled brand areas (the business column, primary buttons) and the text drawn on them. */
  brand: string;
  onBrand: string;
  /** The secondary colour and its text. */
  accent: string;
  onAccent: string;
  /** Brand-coloured text, links and focus rings on the light and on the dark page. */
  brandInk: string;
  brandInkDark: string;
}

/** The theme from an account's primary and secondary colours (defaults when unset or invalid). */
export function themeFor(primary?: string | null, secondary?: string | null): Theme {
  const brand = parseHex(primary) ?? parseHex(DEFAULT_PRIMARY)!;
  const accent = parseHex(secondary) ?? parseHex(DEFAULT_SECONDARY)!;
  return {
    brand: toHex(brand),
    onBrand: toHex(textOn(brand)),
    accent: toHex(accent),
    onAccent: toHex(textOn(accent)),
    brandInk: toHex(readableOn(brand, parseHex(LIGHT_SURFACE)!)),
    brandInkDark: toHex(readableOn(brand, parseHex(DARK_SURFACE)!)),
  };
}

/**
 * The custom properties of a theme as a style sheet. Every value is a `#rrggbb` built here, so the
 * text is safe to place in a `<style>` element as it is.
 */
export function themeCss(theme: Theme): string {
  return (
    `:root{--brand:${theme.brand};--on-brand:${theme.onBrand};--accent:${theme.accent};` +
    `--on-accent:${theme.onAccent};--brand-ink:${theme.brandInk}}` +
    `@media (prefers-color-scheme: dark){:root{--brand-ink:${theme.brandInkDark}}}`
  );
}
