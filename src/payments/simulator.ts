import { DECLINES, type DeclineKind } from './declines.ts';
import type { ChargeRequest, Decision, Processor, ProcessorCard, SetupRequest } from './processor.ts';
import { testCard } from './test-cards.ts';

/**
 * The processor of test mode: it answers by the card's number, as Stripe's test cards do (see
 * test-cards.ts for each card's behaviour). It keeps no state; whether a card was set up for
 * off-session use comes with the card.
 */

const approved: Decision = { outcome: 'approved' };
const requiresAction: Decision = { outcome: 'requires_action' };
const declined = (kind: DeclineKind): Decision => ({ outcome: 'declined', decline: { ...DECLINES[kind] } });

function behaviourOf(card: ProcessorCard) {
  // Only test cards are ever stored; anything else is refused rather than approved.
  return testCard(card.number)?.behaviour ?? { kind: 'decline' as const, decline: 'generic' as const };
}

export const simulator: Processor = {
  verify(card) {
    const behaviour = behaviourOf(card);
    return behaviour.kind === 'decline' ? declined(behaviour.decline) : approved;
  },

  authorizeSetup(card: ProcessorCard, request: SetupRequest) {
    const behaviour = behaviourOf(card);
    switch (behaviour.kind) {
      case 'decline':
        return declined(behaviour.decline);
      case 'decline_charges':
        return approved;
      case 'authenticate':
        if (behaviour.when === 'on_session_only') return approved;
        return request.authenticated ? approved : requiresAction;
      case 'approve': {
        // A 3D Secure challenge asked for by the caller, on a card that supports it.
        const asked = request.requestThreeDSecure !== 'automatic';
        const supported = testCard(card.number)?.threeDSecureSupported ?? false;
        return asked && supported && !request.authenticated ? requiresAction : approved;
      }
    }
  },

  charge(card: ProcessorCard, request: ChargeRequest) {
    const behaviour = behaviourOf(card);
    switch (behaviour.kind) {
      case 'decline':
      case 'decline_charges':
        return declined(behaviour.decline);
      case 'approve':
        return approved;
      case 'authenticate': {
        const after = behaviour.afterwards ? declined(behaviour.afterwards) : approved;
        if (request.offSession) {
          if (behaviour.afterwards) return after;
          if (behaviour.when === 'always') return declined('authentication_required');
          if (behaviour.when === 'unless_set_up' && !card.setUpForOffSession) {
            return declined('authentication_required');
          }
          return approved;
        }
        return request.authenticated ? after : requiresAction;
      }
    }
  },
};
