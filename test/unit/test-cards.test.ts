import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRawCard, fingerprint, tokenCard } from '../../src/billing/payment-methods/card.ts';
import { brandOf, luhnValid, normaliseNumber } from '../../src/payments/card-number.ts';
import type { Decision } from '../../src/payments/processor.ts';
import { simulator } from '../../src/payments/simulator.ts';
import { allTestCards, shortcutCard, shortcutNames, testCard } from '../../src/payments/test-cards.ts';
import { asWire } from '../support/refusal.ts';

const card = (number: string, setUpForOffSession = false) => ({ number, setUpForOffSession });
const setup = { usage: 'off_session', requestThreeDSecure: 'automatic', authenticated: false } as const;
const onSession = { amount: 1000, currency: 'usd', offSession: false, authenticated: false };
const offSession = { ...onSession, offSession: true };

/** `approved`, `requires_action`, or `declined:<code>/<decline_code>`. */
function summary(decision: Decision): string {
  return decision.outcome === 'declined'
    ? `declined:${decision.decline.code}/${decision.decline.decline_code}`
    : decision.outcome;
}

describe('the test-card simulator', () => {
  // number, attach (verify), setup, on-session charge, off-session charge (not set up)
  const table: [string, string, string, string, string, string][] = [
    ['visa', '4242424242424242', 'approved', 'approved', 'approved', 'approved'],
    ['amex', '378282246310005', 'approved', 'approved', 'approved', 'approved'],
    [
      'generic decline',
      '4000000000000002',
      'declined:card_declined/generic_decline',
      'declined:card_declined/generic_decline',
      'declined:card_declined/generic_decline',
      'declined:card_declined/generic_decline',
    ],
    [
      'insufficient funds',
      '4000000000009995',
      'declined:card_declined/insufficient_funds',
      'declined:card_declined/insufficient_funds',
      'declined:card_declined/insufficient_funds',
      'declined:card_declined/insufficient_funds',
    ],
    [
      'lost card',
      '4000000000009987',
      'declined:card_declined/lost_card',
      'declined:card_declined/lost_card',
      'declined:card_declined/lost_card',
      'declined:card_declined/lost_card',
    ],
    [
      'stolen card',
      '4000000000009979',
      'declined:card_declined/stolen_card',
      'declined:card_declined/stolen_card',
      'declined:card_declined/stolen_card',
      'declined:card_declined/stolen_card',
    ],
    [
      'expired card',
      '4000000000000069',
      'declined:expired_card/expired_card',
      'declined:expired_card/expired_card',
      'declined:expired_card/expired_card',
      'declined:expired_card/expired_card',
    ],
    [
      'incorrect cvc',
      '4000000000000127',
      'declined:incorrect_cvc/incorrect_cvc',
      'declined:incorrect_cvc/incorrect_cvc',
      'declined:incorrect_cvc/incorrect_cvc',
      'declined:incorrect_cvc/incorrect_cvc',
    ],
    [
      'processing error',
      '4000000000000119',
      'declined:processing_error/processing_error',
      'declined:processing_error/processing_error',
      'declined:processing_error/processing_error',
      'declined:processing_error/processing_error',
    ],
    [
      'fraudulent',
      '4100000000000019',
      'declined:card_declined/fraudulent',
      'declined:card_declined/fraudulent',
      'declined:card_declined/fraudulent',
      'declined:card_declined/fraudulent',
    ],
    [
      'velocity',
      '4000000000006975',
      'declined:card_declined/card_velocity_exceeded',
      'declined:card_declined/card_velocity_exceeded',
      'declined:card_declined/card_velocity_exceeded',
      'declined:card_declined/card_velocity_exceeded',
    ],
    [
      'attaches, then charges fail',
      '4000000000000341',
      'approved',
      'approved',
      'declined:card_declined/generic_decline',
      'declined:card_declined/generic_decline',
    ],
    [
      'authentication on every payment',
      '4000002760003184',
      'approved',
      'requires_action',
      'requires_action',
      'declined:authentication_required/authentication_required',
    ],
    [
      '3DS2 required',
      '4000000000003220',
      'approved',
      'requires_action',
      'requires_action',
      'declined:authentication_required/authentication_required',
    ],
    [
      'authentication unless set up',
      '4000002500003155',
      'approved',
      'requires_action',
      'requires_action',
      'declined:authentication_required/authentication_required',
    ],
    [
      'already set up for off-session',
      '4000003800000446',
      'approved',
      'approved',
      'requires_action',
      'approved',
    ],
    [
      'authenticates, then insufficient funds',
      '4000008260003178',
      'approved',
      'requires_action',
      'requires_action',
      'declined:card_declined/insufficient_funds',
    ],
  ];

  for (const [name, number, attach, setUp, charge, chargeOff] of table) {
    test(`${name} (${number})`, () => {
      assert.equal(summary(simulator.verify(card(number))), attach, 'attach');
      assert.equal(summary(simulator.authorizeSetup(card(number), setup)), setUp, 'setup');
      assert.equal(summary(simulator.charge(card(number), onSession)), charge, 'on-session charge');
      assert.equal(summary(simulator.charge(card(number), offSession)), chargeOff, 'off-session charge');
    });
  }

  test('after authentication: a setup succeeds, a charge succeeds or meets its refusal', () => {
    const authenticated = { authenticated: true };
    assert.equal(
      summary(simulator.authorizeSetup(card('4000002500003155'), { ...setup, ...authenticated })),
      'approved',
    );
    assert.equal(
      summary(simulator.charge(card('4000002760003184'), { ...onSession, ...authenticated })),
      'approved',
    );
    assert.equal(
      summary(simulator.charge(card('4000008260003178'), { ...onSession, ...authenticated })),
      'declined:card_declined/insufficient_funds',
    );
  });

  test('a card set up for off-session payments pays off-session without authentication (3155 only)', () => {
    assert.equal(summary(simulator.charge(card('4000002500003155', true), offSession)), 'approved');
    assert.equal(summary(simulator.charge(card('4000002500003155', true), onSession)), 'requires_action');
    assert.equal(
      summary(simulator.charge(card('4000002760003184', true), offSession)),
      'declined:authentication_required/authentication_required',
    );
  });

  test('a 3D Secure challenge asked for by the caller, where the card supports it', () => {
    const asked = { ...setup, requestThreeDSecure: 'any' } as const;
    assert.equal(summary(simulator.authorizeSetup(card('4242424242424242'), asked)), 'requires_action');
    assert.equal(summary(simulator.authorizeSetup(card('378282246310005'), asked)), 'approved');
  });

  test('refusals carry the card field at fault and Stripe messages', () => {
    const expired = simulator.verify(card('4000000000000069'));
    assert.ok(expired.outcome === 'declined');
    assert.equal(expired.decline.param, 'exp_month');
    assert.equal(expired.decline.message, 'Your card has expired.');
    const cvc = simulator.verify(card('4000000000000127'));
    assert.ok(cvc.outcome === 'declined');
    assert.equal(cvc.decline.param, 'cvc');
    const funds = simulator.charge(card('4000000000009995'), onSession);
    assert.ok(funds.outcome === 'declined');
    assert.equal(funds.decline.message, 'Your card has insufficient funds.');
    assert.equal(funds.decline.param, undefined);
  });

  test('a number that is not a test card is never approved', () => {
    assert.equal(
      summary(simulator.verify(card('4111111111111111'))),
      'declined:card_declined/generic_decline',
    );
    assert.equal(summary(simulator.charge(card(''), offSession)), 'declined:card_declined/generic_decline');
  });
});

describe('the test-card catalogue', () => {
  test('every card passes the Luhn check and has a network', () => {
    for (const c of allTestCards()) {
      assert.ok(luhnValid(c.number), c.number);
      assert.notEqual(c.brand, 'unknown', c.number);
      assert.match(c.country, /^[A-Z]{2}$/);
    }
  });

  test('shortcuts name their cards, with pm_card_ and tok_ alike', () => {
    const pairs: [string, string, string][] = [
      ['visa', '4242424242424242', 'visa'],
      ['visa_debit', '4000056655665556', 'visa'],
      ['mastercard', '5555555555554444', 'mastercard'],
      ['amex', '378282246310005', 'amex'],
      ['discover', '6011111111111117', 'discover'],
      ['diners', '3056930009020004', 'diners'],
      ['jcb', '3566002020360505', 'jcb'],
      ['unionpay', '6200000000000005', 'unionpay'],
      ['chargeDeclined', '4000000000000002', 'visa'],
      ['chargeDeclinedInsufficientFunds', '4000000000009995', 'visa'],
      ['chargeDeclinedExpiredCard', '4000000000000069', 'visa'],
      ['chargeDeclinedIncorrectCvc', '4000000000000127', 'visa'],
      ['chargeCustomerFail', '4000000000000341', 'visa'],
      ['authenticationRequired', '4000002760003184', 'visa'],
      ['threeDSecure2Required', '4000000000003220', 'visa'],
      ['gb', '4000008260000000', 'visa'],
    ];
    for (const [name, number, brand] of pairs) {
      for (const prefix of ['pm_card_', 'tok_']) {
        const found = shortcutCard(`${prefix}${name}`);
        assert.equal(found?.number, number, `${prefix}${name}`);
        assert.equal(found?.brand, brand);
      }
    }
    assert.equal(shortcutCard('pm_card_nothing'), undefined);
    assert.ok(shortcutNames().length > 100);
    assert.equal(testCard('4000008260000000')?.country, 'GB');
    assert.equal(testCard('4000056655665556')?.funding, 'debit');
    assert.equal(testCard('378282246310005')?.threeDSecureSupported, false);
  });

  test('numbers: normalised, Luhn-checked, and branded by their leading digits', () => {
    assert.equal(normaliseNumber('4242 4242 4242 4242'), '4242424242424242');
    assert.equal(normaliseNumber('4242-4242'), undefined);
    assert.equal(normaliseNumber('42424242424242a2'), undefined);
    assert.equal(luhnValid('4242424242424241'), false);
    const brands: [string, string][] = [
      ['4242424242424242', 'visa'],
      ['5555555555554444', 'mastercard'],
      ['2223003122003222', 'mastercard'],
      ['378282246310005', 'amex'],
      ['6011111111111117', 'discover'],
      ['36227206271667', 'diners'],
      ['3566002020360505', 'jcb'],
      ['6200000000000005', 'unionpay'],
      ['9999999999999995', 'unknown'],
    ];
    for (const [number, brand] of brands) assert.equal(brandOf(number), brand, number);
  });
});

describe('raw card checks', () => {
  const now = Date.UTC(2027, 5, 15) / 1000; // June 2027
  const refusal = (raw: Parameters<typeof checkRawCard>[0]) => {
    try {
      checkRawCard(raw, now);
    } catch (error) {
      const wire = asWire(error);
      if (!wire) throw error;
      return [wire.status, wire.body.type, wire.body.code, wire.body.param, wire.body.decline_code];
    }
    assert.fail('expected a refusal');
  };
  const valid = { number: '4242424242424242', exp_month: 12, exp_year: 2030 };

  test('each field refused with its code and param', () => {
    const cases: [Parameters<typeof checkRawCard>[0], unknown[]][] = [
      [{ ...valid, number: '4242' }, [402, 'card_error', 'invalid_number', 'card[number]', undefined]],
      [
        { ...valid, number: '4242424242424241' },
        [402, 'card_error', 'incorrect_number', 'card[number]', undefined],
      ],
      [
        { ...valid, number: '4111111111111111' },
        [402, 'card_error', 'card_declined', 'card[number]', 'test_mode_live_card'],
      ],
      [
        { ...valid, exp_month: 13 },
        [402, 'card_error', 'invalid_expiry_month', 'card[exp_month]', undefined],
      ],
      [{ ...valid, exp_month: 0 }, [402, 'card_error', 'invalid_expiry_month', 'card[exp_month]', undefined]],
      [{ ...valid, exp_year: 2026 }, [402, 'card_error', 'invalid_expiry_year', 'card[exp_year]', undefined]],
      [{ ...valid, exp_year: 2090 }, [402, 'card_error', 'invalid_expiry_year', 'card[exp_year]', undefined]],
      [
        { ...valid, exp_month: 5, exp_year: 2027 },
        [402, 'card_error', 'invalid_expiry_month', 'card[exp_month]', undefined],
      ],
      [{ ...valid, cvc: '12' }, [402, 'card_error', 'invalid_cvc', 'card[cvc]', undefined]],
      [{ ...valid, cvc: '1234' }, [402, 'card_error', 'invalid_cvc', 'card[cvc]', undefined]],
      [
        { number: '378282246310005', exp_month: 1, exp_year: 2030, cvc: '123' },
        [402, 'card_error', 'invalid_cvc', 'card[cvc]', undefined],
      ],
      [
        { number: valid.number, exp_year: 2030 },
        [400, 'invalid_request_error', 'parameter_missing', 'card[exp_month]', undefined],
      ],
    ];
    for (const [raw, expected] of cases) assert.deepEqual(refusal(raw), expected, JSON.stringify(raw));
  });

  test('accepted: the current month, two-digit years, spaces, a 4-digit Amex CVC', () => {
    assert.equal(checkRawCard({ ...valid, exp_month: 6, exp_year: 2027 }, now).expYear, 2027);
    assert.equal(checkRawCard({ ...valid, exp_year: 31 }, now).expYear, 2031);
    assert.equal(checkRawCard({ ...valid, number: '4242 4242 4242 4242' }, now).card.number, valid.number);
    const amex = checkRawCard({ number: '378282246310005', exp_month: 1, exp_year: 2030, cvc: '1234' }, now);
    assert.equal(amex.cvcGiven, true);
  });

  test('test tokens carry their card, an expiry three years ahead and a CVC', () => {
    const checked = tokenCard('tok_mastercard', now);
    assert.equal(checked?.card.number, '5555555555554444');
    assert.deepEqual([checked?.expMonth, checked?.expYear, checked?.cvcGiven], [6, 2030, true]);
    assert.equal(tokenCard('pm_card_visa', now), undefined);
    assert.equal(tokenCard('tok_nothing', now), undefined);
  });

  test('fingerprints: stable per account and number, different across either', () => {
    const a = fingerprint('acct_a', '4242424242424242');
    assert.match(a, /^[A-Za-z0-9]{16}$/);
    assert.equal(fingerprint('acct_a', '4242424242424242'), a);
    assert.notEqual(fingerprint('acct_b', '4242424242424242'), a);
    assert.notEqual(fingerprint('acct_a', '5555555555554444'), a);
  });
});
