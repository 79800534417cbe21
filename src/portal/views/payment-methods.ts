import type Stripe from 'stripe';
import type { AppError } from '../../core/errors.ts';
import { type FieldError, isMessageKey, type PayInvoiceView } from '../ui/index.ts';

/** Where the card form's fields are named in a refusal's `param` (`card[exp_month]`, a decline's `cvc`). */
const FIELDS: Record<string, string> = {
  number: 'number',
  exp_month: 'exp',
  exp_year: 'exp',
  cvc: 'cvc',
};

function fieldOf(param: string | undefined): string | null {
  if (!param) return null;
  const name = param.match(/^card\[([a-z_]+)\]$/)?.[1] ?? param;
  return FIELDS[name] ?? null;
}

/** Refusals of the typed details, by domain code: the catalogue key that says what to correct. */
const INPUT_CODES: Record<string, string> = {
  card_number_invalid: 'invalid_number',
  card_number_incorrect: 'incorrect_number',
  card_live_in_test_mode: 'card_declined',
  card_number_in_live_mode: 'card_declined',
  card_expiry_month_invalid: 'invalid_expiry',
  card_expiry_year_invalid: 'invalid_expiry',
  card_cvc_invalid: 'invalid_cvc',
  parameter_missing: 'invalid_expiry',
  setup_intent_authentication_failure: 'authentication_failed',
};

/**
 * A refusal of the add-card form as the page shows it. A decline is named by its decline code
 * when the catalogue words it (`insufficient_funds`), else as a plain `card_declined`; the card
 * number and security code are never part of it.
 */
export function cardFieldError(error: AppError): FieldError {
  const args = error.args as { declineCode?: string };
  if (args.declineCode !== undefined) {
    const code = isMessageKey(`errors.${args.declineCode}`) ? args.declineCode : 'card_declined';
    return { field: fieldOf(error.param), code };
  }
  return { field: fieldOf(error.param), code: INPUT_CODES[error.code] ?? error.code };
}

/** Past-due invoices the homepage offers to pay after a card was added, linked to their pages. */
export function payInvoicesView(invoices: Stripe.Invoice[], base: string): PayInvoiceView[] {
  return invoices.map((invoice) => ({
    number: invoice.number,
    amount: { amount: invoice.amount_remaining, currency: invoice.currency },
    url: `${base}/invoices/${invoice.id}`,
  }));
}
