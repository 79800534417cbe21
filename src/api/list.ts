import type { Page } from '../core/list.ts';

/** Stripe's list object; `url` is the path only. */
export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export function listObject<T>(page: Page<T>, url: string): ListObject<T> {
  return { object: 'list', data: page.data, has_more: page.hasMore, url };
}
