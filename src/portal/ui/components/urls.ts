/**
 * URL guards for what pages put in `href` and `src`. Escaping keeps a value inside its attribute;
 * these keep a `javascript:` link out, and keep the page from loading anything from another origin.
 */

/** A link the page may show: relative, or http(s), mailto and tel. Anything else is dropped. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  if (/^(\/(?!\/)|\.{1,2}\/|\?|#)/.test(trimmed) || trimmed === '/') return trimmed;
  if (/^(https?:\/\/|mailto:|tel:)/i.test(trimmed)) return trimmed;
  return undefined;
}

/** A resource the page loads (image, style sheet, script): only a path on the portal's own origin. */
export function sameOriginSrc(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  return /^\/(?!\/)/.test(trimmed) && !/[\s\\]/.test(trimmed) ? trimmed : undefined;
}

/** The element id of a form field from its name: `address[postal_code]` → `address-postal_code`. */
export function fieldId(name: string): string {
  return name.replace(/\]\[|\[/g, '-').replace(/\]/g, '');
}
