import type { I18n, MessageKey } from '../i18n/messages.ts';
import type { FieldError } from './chrome.ts';
import { type Option, SelectField, TextField, useI18n } from './ui.tsx';

/** An address as the customer object holds it (`country` is ISO 3166-1 alpha-2). */
export interface AddressView {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

/** ISO 3166-1 alpha-2 codes offered by the country selector when the routes pass no list. */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

/** How a country's addresses are asked for and written. */
interface Scheme {
  city: MessageKey;
  state: MessageKey | null;
  stateOptional: boolean;
  postal: MessageKey;
  /** "City, ST 12345" on one line (North America, Australia) or "12345 City" (most others). */
  style: 'north-american' | 'british' | 'postal-first';
}

const SCHEMES: Record<'US' | 'CA' | 'GB' | 'other', Scheme> = {
  US: {
    city: 'address.city',
    state: 'address.state.us',
    stateOptional: false,
    postal: 'address.postal.us',
    style: 'north-american',
  },
  CA: {
    city: 'address.city',
    state: 'address.state.ca',
    stateOptional: false,
    postal: 'address.postal.ca',
    style: 'north-american',
  },
  GB: {
    city: 'address.city.gb',
    state: 'address.state.gb',
    stateOptional: true,
    postal: 'address.postal.gb',
    style: 'british',
  },
  other: {
    city: 'address.city',
    state: 'address.state.other',
    stateOptional: true,
    postal: 'address.postal.other',
    style: 'postal-first',
  },
};

export function schemeKey(country: string | null | undefined): keyof typeof SCHEMES {
  const c = (country ?? '').toUpperCase();
  return c === 'US' || c === 'CA' || c === 'GB' ? c : 'other';
}

const present = (s: string | null | undefined): s is string => Boolean(s?.trim());

/** An address as lines of text in the country's usual order, the country's name last. */
export function addressLines(address: AddressView, i: I18n): string[] {
  const key = schemeKey(address.country);
  const style =
    key === 'other' && ['AU', 'NZ'].includes(address.country ?? '') ? 'north-american' : SCHEMES[key].style;
  const lines = [address.line1, address.line2].filter(present);
  if (style === 'north-american') {
    const cityState = [address.city, address.state].filter(present).join(', ');
    lines.push([cityState, address.postalCode].filter(present).join(' '));
  } else if (style === 'british') {
    lines.push(...[address.city, address.state, address.postalCode].filter(present));
  } else {
    lines.push([address.postalCode, address.city].filter(present).join(' '));
    if (present(address.state)) lines.push(address.state);
  }
  if (present(address.country)) lines.push(i.country(address.country));
  return lines.filter(present);
}

/** The labels of an address's fields as the form shows them for its country, by input name. */
export function addressFieldLabels(
  i: I18n,
  prefix: string,
  country: string | null | undefined,
): Record<string, string> {
  const scheme = SCHEMES[schemeKey(country)];
  return {
    [`${prefix}[country]`]: i.t('address.country'),
    [`${prefix}[line1]`]: i.t('address.line1'),
    [`${prefix}[line2]`]: i.t('address.line2'),
    [`${prefix}[city]`]: i.t(scheme.city),
    ...(scheme.state ? { [`${prefix}[state]`]: i.t(scheme.state) } : {}),
    [`${prefix}[postal_code]`]: i.t(scheme.postal),
  };
}

/** Countries as options, sorted by their names in the page's language. */
export function countryOptions(i: I18n, codes: readonly string[] = COUNTRY_CODES): Option[] {
  const collator = new Intl.Collator(i.locale);
  return codes
    .map((code) => ({ value: code, label: i.country(code) }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

/**
 * Address inputs named `{prefix}[line1]` … `{prefix}[country]`, labelled for the selected country
 * (US state and ZIP code, Canadian province and postal code, British county and postcode, a
 * generic region and postal code elsewhere). The labels of every scheme ride along as data so the
 * optional script can relabel the fields when the country changes; without it the server's labels
 * follow the next submission.
 */
export function AddressFields(props: {
  prefix: string;
  value: AddressView;
  errors?: readonly FieldError[];
  countries?: readonly string[];
}) {
  const i = useI18n();
  const { prefix, value, errors } = props;
  const scheme = SCHEMES[schemeKey(value.country)];
  const labels = Object.fromEntries(
    Object.entries(SCHEMES).map(([k, s]) => [
      k,
      {
        city: i.t(s.city),
        state: s.state ? i.t(s.state) : '',
        postal: i.t(s.postal),
        stateOptional: s.stateOptional,
      },
    ]),
  );
  return (
    <div
      class="address"
      data-address-labels={JSON.stringify(labels)}
      data-optional-label={i.t('common.optional')}
    >
      <SelectField
        name={`${prefix}[country]`}
        label={i.t('address.country')}
        value={value.country ?? ''}
        options={countryOptions(i, props.countries)}
        autocomplete="country"
        errors={errors}
        data={{ 'address-country': '' }}
      />
      <TextField
        name={`${prefix}[line1]`}
        label={i.t('address.line1')}
        value={value.line1}
        autocomplete="address-line1"
        errors={errors}
      />
      <TextField
        name={`${prefix}[line2]`}
        label={i.t('address.line2')}
        value={value.line2}
        autocomplete="address-line2"
        optional
        errors={errors}
      />
      <TextField
        name={`${prefix}[city]`}
        label={i.t(scheme.city)}
        value={value.city}
        autocomplete="address-level2"
        errors={errors}
        data={{ 'address-part': 'city' }}
      />
      {scheme.state ? (
        <TextField
          name={`${prefix}[state]`}
          label={i.t(scheme.state)}
          value={value.state}
          autocomplete="address-level1"
          optional={scheme.stateOptional}
          errors={errors}
          data={{ 'address-part': 'state' }}
        />
      ) : null}
      <TextField
        name={`${prefix}[postal_code]`}
        label={i.t(scheme.postal)}
        value={value.postalCode}
        autocomplete="postal-code"
        width="m"
        errors={errors}
        data={{ 'address-part': 'postal' }}
      />
    </div>
  );
}
