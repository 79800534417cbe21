import type Stripe from 'stripe';
import { errors, fail } from '../../core/errors.ts';

type SetupIntent = Stripe.SetupIntent;

export interface TypesParams {
  allowed_payment_method_types?: string[] | null;
  payment_method_types?: string[];
  automatic_payment_methods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
}

/** Portico has one payment method type. */
const SUPPORTED = ['card'];

/**
 * Which payment method types a SetupIntent takes. Named types (`allowed_payment_method_types`,
 * or its older name `payment_method_types`) must be ones Portico has; without them the types are
 * chosen automatically, which in Portico means cards.
 */
export function paymentMethodTypes(
  params: TypesParams,
): Pick<SetupIntent, 'allowed_payment_method_types' | 'automatic_payment_methods' | 'payment_method_types'> {
  if (params.allowed_payment_method_types && params.payment_method_types) {
    throw errors.parametersExclusive('allowed_payment_method_types', 'payment_method_types');
  }
  const name = params.allowed_payment_method_types ? 'allowed_payment_method_types' : 'payment_method_types';
  const named = params.allowed_payment_method_types ?? params.payment_method_types;
  if (named && params.automatic_payment_methods?.enabled) {
    throw errors.parametersExclusive('automatic_payment_methods', name);
  }
  if (named) {
    named.forEach((type, i) => {
      if (!SUPPORTED.includes(type)) {
        throw fail(
          'setup_intent_payment_method_type_unsupported',
          { type, supported: SUPPORTED },
          `${name}[${i}]`,
        );
      }
    });
    const types = [...new Set(named)] as Stripe.SetupIntent.AllowedPaymentMethodType[];
    return {
      allowed_payment_method_types: types,
      automatic_payment_methods: null,
      payment_method_types: types,
    };
  }
  const automatic = params.automatic_payment_methods;
  return {
    allowed_payment_method_types: null,
    automatic_payment_methods: {
      allow_redirects: automatic?.allow_redirects ?? 'always',
      enabled: automatic?.enabled ?? true,
    },
    payment_method_types: [...SUPPORTED],
  };
}

/** Where the cardholder returns after a challenge: any absolute URL (apps use their own schemes). */
export function checkReturnUrl(url: string): void {
  let ok = false;
  try {
    ok = new URL(url).protocol.length > 1;
  } catch {
    ok = false;
  }
  if (!ok) throw fail('return_url_invalid', { url }, 'return_url');
}
