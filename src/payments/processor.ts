/**
 * What billing asks of a card processor, and what it answers. Billing code decides what to do with
 * an answer (a SetupIntent's status, an invoice's payment attempt); the processor only says what
 * the issuer did. Portico's processor is the test-card simulator (`simulator.ts`): there is no
 * real network behind it.
 */

/** A card as the processor knows it: for the simulator, Stripe's public test number. */
export interface ProcessorCard {
  number: string;
  /** The card was set up for off-session use (a SetupIntent with `usage: off_session` succeeded). */
  setUpForOffSession: boolean;
}

/** Stripe's error `code` values a card refusal can carry. */
export type DeclineCode =
  | 'card_declined'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'authentication_required';

/** An issuer's refusal, in the words Stripe uses for it. */
export interface Decline {
  code: DeclineCode;
  decline_code: string;
  message: string;
  /** The card field at fault (`exp_month`, `cvc`), as Stripe names it in declines. */
  param?: string;
  advice_code?: string;
}

export type Decision =
  | { outcome: 'approved' }
  | { outcome: 'declined'; decline: Decline }
  /** The cardholder must authenticate (3D Secure) before the issuer answers. */
  | { outcome: 'requires_action' };

export interface SetupRequest {
  usage: 'on_session' | 'off_session';
  /** `payment_method_options[card][request_three_d_secure]`. */
  requestThreeDSecure: 'automatic' | 'any' | 'challenge';
  /** The cardholder has just completed a 3D Secure challenge for this attempt. */
  authenticated: boolean;
}

export interface ChargeRequest {
  amount: number;
  currency: string;
  /** The customer is not present (renewals, retries): a challenge cannot be shown. */
  offSession: boolean;
  authenticated: boolean;
}

export interface Processor {
  /** Attaching a card to a customer: the issuer checks the card without charging it. */
  verify(card: ProcessorCard): Decision;
  /** A SetupIntent's confirmation: the card is checked and, if needed, authenticated for later use. */
  authorizeSetup(card: ProcessorCard, request: SetupRequest): Decision;
  /** A payment. */
  charge(card: ProcessorCard, request: ChargeRequest): Decision;
}
