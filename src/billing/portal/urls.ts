import { fail } from '../../core/errors.ts';

/**
 * Return links and policy links must be absolute http(s) URLs: the portal puts them in front of
 * customers, so anything else (relative paths, `javascript:`) is refused with `url_invalid`.
 */
export function checkUrl(value: string, param: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw fail('portal_url_invalid', { field: param }, param);
  }
}

/** `test_` or `live_`: the mode prefix of the portal's hosted URLs, as on Stripe. */
export const modePrefix = (livemode: boolean) => (livemode ? 'live_' : 'test_');
