import { type Brand, brandOf } from './card-number.ts';
import type { DeclineKind } from './declines.ts';

/**
 * Stripe's public test cards: what each number is (network, funding, country) and how the
 * simulator treats it. Only these numbers exist in test mode; any other well-formed number is
 * refused as a live card, as Stripe refuses it.
 */

/** How a card behaves when it is verified (attached), set up and charged. */
export type Behaviour =
  /** Everything succeeds. */
  | { kind: 'approve' }
  /** Refused everywhere: attaching, setting up and charging. */
  | { kind: 'decline'; decline: DeclineKind }
  /** Attaches and sets up, then every charge is refused (4000000000000341). */
  | { kind: 'decline_charges'; decline: DeclineKind }
  /**
   * 3D Secure. `always`: every setup and on-session charge asks for it, off-session charges are
   * refused; `unless_set_up`: setup asks, off-session charges succeed once set up, on-session ones
   * ask; `on_session_only`: behaves as already set up (setup and off-session charges succeed,
   * on-session ones ask). `afterwards` is a refusal after authentication (charges only).
   */
  | { kind: 'authenticate'; when: 'always' | 'unless_set_up' | 'on_session_only'; afterwards?: DeclineKind };

export type Funding = 'credit' | 'debit' | 'prepaid';
export type CheckResult = 'pass' | 'fail' | 'unavailable';

export interface TestCard {
  number: string;
  brand: Brand;
  funding: Funding;
  country: string;
  behaviour: Behaviour;
  /** Whether the card takes part in 3D Secure (American Express's 0005 card does not). */
  threeDSecureSupported: boolean;
  /** Results of the CVC and address checks when those fields are given (`pass` otherwise). */
  checks: { cvc: CheckResult; line1: CheckResult; postalCode: CheckResult };
}

interface Spec {
  funding?: Funding;
  country?: string;
  behaviour?: Behaviour;
  noThreeDSecure?: true;
  checks?: Partial<TestCard['checks']>;
  /** Shortcut names (`pm_card_<name>`, `tok_<name>`) for this card. */
  names?: string[];
}

const approve: Behaviour = { kind: 'approve' };
const decline = (d: DeclineKind): Behaviour => ({ kind: 'decline', decline: d });

const SPECS: Record<string, Spec> = {
  // By network.
  '4242424242424242': { names: ['visa', 'us'] },
  '4000056655665556': { funding: 'debit', names: ['visa_debit'] },
  '5555555555554444': { names: ['mastercard'] },
  '2223003122003222': {},
  '5200828282828210': { funding: 'debit', names: ['mastercard_debit'] },
  '5105105105105100': { funding: 'prepaid', names: ['mastercard_prepaid'] },
  '378282246310005': { noThreeDSecure: true, names: ['amex'] },
  '371449635398431': {},
  '6011111111111117': { names: ['discover'] },
  '6011000990139424': {},
  '6011981111111113': { funding: 'debit' },
  '3056930009020004': { names: ['diners'] },
  '36227206271667': {},
  '3566002020360505': { country: 'JP', names: ['jcb'] },
  '6200000000000005': { country: 'CN', names: ['unionpay'] },
  '6200000000000047': { country: 'CN', funding: 'debit' },
  '6205500000000000004': { country: 'CN' },

  // By country (the issuer's ISO 3166 numeric code is in the number).
  '4000000320000021': { country: 'AR', names: ['ar'] },
  '4000000760000002': { country: 'BR', names: ['br'] },
  '4000001240000000': { country: 'CA', names: ['ca'] },
  '4000004840008001': { country: 'MX', names: ['mx'] },
  '4000007840000001': { country: 'AE', names: ['ae'] },
  '5200007840000022': { country: 'AE', names: ['ae_mastercard'] },
  '4000000400000008': { country: 'AT', names: ['at'] },
  '4000000560000004': { country: 'BE', names: ['be'] },
  '4000001000000000': { country: 'BG', names: ['bg'] },
  '4000001120000005': { country: 'BY', names: ['by'] },
  '4000001910000009': { country: 'HR', names: ['hr'] },
  '4000001960000008': { country: 'CY', names: ['cy'] },
  '4000002030000002': { country: 'CZ', names: ['cz'] },
  '4000002080000001': { country: 'DK', names: ['dk'] },
  '4000002330000009': { country: 'EE', names: ['ee'] },
  '4000002460000001': { country: 'FI', names: ['fi'] },
  '4000002500000003': { country: 'FR', names: ['fr'] },
  '4000002760000016': { country: 'DE', names: ['de'] },
  '4000002920000005': { country: 'GI', names: ['gi'] },
  '4000003000000030': { country: 'GR', names: ['gr'] },
  '4000003480000005': { country: 'HU', names: ['hu'] },
  '4000003720000005': { country: 'IE', names: ['ie'] },
  '4000003800000008': { country: 'IT', names: ['it'] },
  '4000004280000005': { country: 'LV', names: ['lv'] },
  '4000004380000004': { country: 'LI', names: ['li'] },
  '4000004400000000': { country: 'LT', names: ['lt'] },
  '4000004420000006': { country: 'LU', names: ['lu'] },
  '4000004700000007': { country: 'MT', names: ['mt'] },
  '4000005280000002': { country: 'NL', names: ['nl'] },
  '4000005780000007': { country: 'NO', names: ['no'] },
  '4000006160000005': { country: 'PL', names: ['pl'] },
  '4000006200000007': { country: 'PT', names: ['pt'] },
  '4000006420000001': { country: 'RO', names: ['ro'] },
  '4000007050000006': { country: 'SI', names: ['si'] },
  '4000007030000001': { country: 'SK', names: ['sk'] },
  '4000007240000007': { country: 'ES', names: ['es'] },
  '4000007520000008': { country: 'SE', names: ['se'] },
  '4000007560000009': { country: 'CH', names: ['ch'] },
  '4000008260000000': { country: 'GB', names: ['gb'] },
  '4000058260000005': { country: 'GB', funding: 'debit', names: ['gb_debit'] },
  '5555558265554449': { country: 'GB', names: ['gb_mastercard'] },
  '4000000360000006': { country: 'AU', names: ['au'] },
  '4000001560000002': { country: 'CN', names: ['cn'] },
  '4000003440000004': { country: 'HK', names: ['hk'] },
  '4000003560000008': { country: 'IN', names: ['in'] },
  '4000003920000003': { country: 'JP', names: ['jp'] },
  '4000004580000002': { country: 'MY', names: ['my'] },
  '4000005540000008': { country: 'NZ', names: ['nz'] },
  '4000007020000003': { country: 'SG', names: ['sg'] },
  '4000007640000003': { country: 'TH', names: ['th_credit'] },
  '4000057640000008': { country: 'TH', funding: 'debit', names: ['th_debit'] },

  // Declines.
  '4000000000000002': { behaviour: decline('generic'), names: ['chargeDeclined', 'visa_chargeDeclined'] },
  '4000000000009995': {
    behaviour: decline('insufficient_funds'),
    names: ['chargeDeclinedInsufficientFunds', 'visa_chargeDeclinedInsufficientFunds'],
  },
  '4000000000009987': {
    behaviour: decline('lost_card'),
    names: ['chargeDeclinedLostCard', 'visa_chargeDeclinedLostCard'],
  },
  '4000000000009979': {
    behaviour: decline('stolen_card'),
    names: ['chargeDeclinedStolenCard', 'visa_chargeDeclinedStolenCard'],
  },
  '4000000000000069': {
    behaviour: decline('expired_card'),
    names: ['chargeDeclinedExpiredCard', 'visa_chargeDeclinedExpiredCard'],
  },
  '4000000000000127': {
    behaviour: decline('incorrect_cvc'),
    names: ['chargeDeclinedIncorrectCvc', 'visa_chargeDeclinedIncorrectCvc'],
  },
  '4000000000000119': {
    behaviour: decline('processing_error'),
    names: ['chargeDeclinedProcessingError', 'visa_chargeDeclinedProcessingError'],
  },
  '4000000000006975': {
    behaviour: decline('velocity'),
    names: ['visa_chargeDeclinedVelocityLimitExceeded'],
  },
  '4100000000000019': {
    behaviour: decline('fraudulent'),
    names: ['chargeDeclinedFraudulent', 'visa_chargeDeclinedFraudulent', 'radarBlock'],
  },
  '4000000000000341': {
    behaviour: { kind: 'decline_charges', decline: 'generic' },
    names: ['chargeCustomerFail'],
  },

  // Fraud prevention: risk levels (the highest is blocked by Radar's default rule), CVC and address checks.
  '4000000000004954': {
    behaviour: { kind: 'decline_charges', decline: 'fraudulent' },
    names: ['riskLevelHighest'],
  },
  '4000000000009235': { names: ['riskLevelElevated'] },
  '4000000000000101': { checks: { cvc: 'fail' }, names: ['cvcCheckFail'] },
  '4000000000000010': { checks: { line1: 'fail', postalCode: 'fail' }, names: ['avsFail'] },
  '4000000000000028': { checks: { line1: 'fail' }, names: ['avsLine1Fail'] },
  '4000000000000036': { checks: { postalCode: 'fail' }, names: ['avsZipFail'] },
  '4000000000000044': {
    checks: { line1: 'unavailable', postalCode: 'unavailable' },
    names: ['avsUnchecked'],
  },

  // Payments that succeed and go on to things Portico does not model (disputes, refunds, balances).
  '4000000000000259': { names: ['createDispute'] },
  '4000000000002685': { names: ['createDisputeProductNotReceived'] },
  '4000000000001976': { names: ['createDisputeInquiry'] },
  '4000000000000077': { names: ['bypassPending'] },
  '4000003720000278': { country: 'IE', names: ['bypassPendingInternational'] },
  '4000000000007726': { names: ['pendingRefund'] },
  '4000000000005126': { names: ['refundFail'] },

  // 3D Secure.
  '4000000000003220': {
    behaviour: { kind: 'authenticate', when: 'always' },
    names: ['threeDSecure2Required'],
  },
  '4000000000003063': {
    behaviour: { kind: 'authenticate', when: 'always' },
    names: ['threeDSecureRequired'],
  },
  '4000000000003055': { names: ['threeDSecureOptional'] },
  '4000002760003184': {
    country: 'DE',
    behaviour: { kind: 'authenticate', when: 'always' },
    names: ['authenticationRequired'],
  },
  '4000002500003155': {
    country: 'FR',
    behaviour: { kind: 'authenticate', when: 'unless_set_up' },
    names: ['authenticationRequiredOnSetup'],
  },
  '4000003800000446': {
    country: 'IT',
    behaviour: { kind: 'authenticate', when: 'on_session_only' },
    names: ['authenticationRequiredSetupForOffSession'],
  },
  '4000008260003178': {
    country: 'GB',
    behaviour: { kind: 'authenticate', when: 'always', afterwards: 'insufficient_funds' },
    names: ['authenticationRequiredChargeDeclinedInsufficientFunds'],
  },
  '4000008400001629': {
    behaviour: { kind: 'authenticate', when: 'always', afterwards: 'generic' },
    names: ['threeDSecureRequiredChargeDeclined'],
  },
};

function build(number: string, spec: Spec): TestCard {
  return {
    number,
    brand: brandOf(number),
    funding: spec.funding ?? 'credit',
    country: spec.country ?? 'US',
    behaviour: spec.behaviour ?? approve,
    threeDSecureSupported: !spec.noThreeDSecure,
    checks: { cvc: 'pass', line1: 'pass', postalCode: 'pass', ...spec.checks },
  };
}

const CARDS = new Map(Object.entries(SPECS).map(([number, spec]) => [number, build(number, spec)]));

/** `pm_card_visa` → 4242…, `tok_visa` → 4242…: every shortcut name works with either prefix. */
const SHORTCUTS = new Map<string, string>(
  Object.entries(SPECS).flatMap(([number, spec]) =>
    (spec.names ?? []).flatMap((name) => [
      [`pm_card_${name}`, number],
      [`tok_${name}`, number],
    ]),
  ),
);

export function testCard(number: string): TestCard | undefined {
  return CARDS.get(number);
}

export function allTestCards(): TestCard[] {
  return [...CARDS.values()];
}

/** The test card a payment method shortcut (`pm_card_…`) or test token (`tok_…`) stands for. */
export function shortcutCard(id: string): TestCard | undefined {
  const number = SHORTCUTS.get(id);
  return number === undefined ? undefined : CARDS.get(number);
}

export function shortcutNames(): string[] {
  return [...SHORTCUTS.keys()];
}
