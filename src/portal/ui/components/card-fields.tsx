import type { FieldError } from './chrome.ts';
import { TextField, useI18n } from './ui.tsx';

/**
 * What the card form shows again after a refusal. The card number and security code are never
 * sent back to the browser: the customer types them again.
 */
export interface CardValues {
  /** "MM / YY" as typed. */
  exp?: string | null;
  postalCode?: string | null;
}

/**
 * Card inputs: `number`, `exp` ("MM / YY"), `cvc`, `postal_code`, with the browser's card
 * autofill hints. `prefix` names them `card[number]` … when the form also holds other choices.
 */
export function CardFields(props: { values?: CardValues; errors?: readonly FieldError[]; prefix?: string }) {
  const i = useI18n();
  const name = (field: string) => (props.prefix ? `${props.prefix}[${field}]` : field);
  const errors = props.errors;
  return (
    <div class="card-fields">
      <TextField
        name={name('number')}
        label={i.t('card.number')}
        autocomplete="cc-number"
        inputmode="numeric"
        spellcheck={false}
        maxlength={23}
        errors={errors}
        data={{ 'card-number': '' }}
      />
      <div class="field-row">
        <TextField
          name={name('exp')}
          label={i.t('card.expiry')}
          hint={i.t('card.expiryHint')}
          value={props.values?.exp}
          autocomplete="cc-exp"
          inputmode="numeric"
          spellcheck={false}
          maxlength={7}
          width="m"
          errors={errors}
          data={{ 'card-expiry': '' }}
        />
        <TextField
          name={name('cvc')}
          label={i.t('card.cvc')}
          hint={i.t('card.cvcHint')}
          autocomplete="cc-csc"
          inputmode="numeric"
          spellcheck={false}
          maxlength={4}
          width="s"
          errors={errors}
        />
      </div>
      <TextField
        name={name('postal_code')}
        label={i.t('card.postalCode')}
        value={props.values?.postalCode}
        autocomplete="postal-code"
        spellcheck={false}
        width="m"
        errors={errors}
      />
    </div>
  );
}

/** Test mode: the test numbers and what each does. */
export function TestCards() {
  const i = useI18n();
  const cards = [
    ['4242 4242 4242 4242', i.t('testCards.success')],
    ['4000 0000 0000 0002', i.t('testCards.declined')],
    ['4000 0025 0000 3155', i.t('testCards.authentication')],
  ] as const;
  return (
    <aside class="test-cards" aria-labelledby="test-cards-title">
      <h2 class="test-cards__title" id="test-cards-title">
        {i.t('testCards.title')}
      </h2>
      <p class="test-cards__hint">{i.t('testCards.hint')}</p>
      <dl class="test-cards__list">
        {cards.map(([number, outcome]) => (
          <div key={number} class="test-cards__row">
            <dt class="mono">{number}</dt>
            <dd>{outcome}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
