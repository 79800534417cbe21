import type { Ctx } from '../../core/context.ts';
import { shortcutCard } from '../../payments/test-cards.ts';
import { newCardPaymentMethod } from './build.ts';
import { testCardDefaults } from './card.ts';
import { insertPaymentMethod, requirePaymentMethod, type StoredPaymentMethod } from './store.ts';

/**
 * Stripe's test shortcuts (`pm_card_visa`, `pm_card_chargeDeclined`, …) stand for a test card in
 * test mode: each use makes a new payment method, with an id of its own.
 */
export function isShortcut(ctx: Ctx, id: string): boolean {
  return !ctx.scope.livemode && id.startsWith('pm_card_') && shortcutCard(id) !== undefined;
}

/**
 * Any value accepted where a payment method id is: a stored payment method of this account and
 * mode, or a test shortcut, which becomes a new payment method dated `created` (the caller's
 * clock: a customer's test clock when it is for one). Unknown ids are `resource_missing` on
 * `param` (400), or on the path (404) without one.
 */
export async function resolvePaymentMethod(
  ctx: Ctx,
  idOrShortcut: string,
  param?: string,
  created?: number,
): Promise<StoredPaymentMethod> {
  const card = isShortcut(ctx, idOrShortcut) ? shortcutCard(idOrShortcut) : undefined;
  if (!card) return requirePaymentMethod(ctx, idOrShortcut, param);
  const at = created ?? ctx.clock.now();
  const stored = newCardPaymentMethod(ctx, testCardDefaults(card, at), { created: at });
  await insertPaymentMethod(ctx, stored);
  return stored;
}

/** The id of a payment method field that may hold the id or the expanded object. */
export function idOf(value: string | { id: string } | null): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}
