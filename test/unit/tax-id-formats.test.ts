import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type { WireError } from '../../src/api/error-messages.ts';
import {
  CHECKED_TYPES,
  checkTaxIdValue,
  TAX_ID_TYPES,
  type TaxIdType,
} from '../../src/billing/tax-ids/formats.ts';
import { verificationOutcome } from '../../src/billing/tax-ids/verification.ts';
import { asWire } from '../support/refusal.ts';

/** The `type` values stripe@23.1.0 lists for TaxIdCreateParams, read from its declarations. */
function sdkTaxIdTypes(): string[] {
  // The package's entry point is <root>/cjs/stripe.cjs.node.js.
  const root = dirname(dirname(createRequire(import.meta.url).resolve('stripe')));
  const source = readFileSync(join(root, 'esm/resources/TaxIds.d.ts'), 'utf8');
  const namespace = source.slice(source.indexOf('export declare namespace TaxIdCreateParams'));
  const union = /type Type = ([^;]+);/.exec(namespace)![1]!;
  return [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

function rejects(type: TaxIdType, value: string, param = 'value'): WireError {
  try {
    checkTaxIdValue(type, value, param);
  } catch (error) {
    const wire = asWire(error);
    if (wire) return wire;
    throw error;
  }
  assert.fail(`${type} accepted ${JSON.stringify(value)}`);
}

const accepts = (type: TaxIdType, value: string) => checkTaxIdValue(type, value, 'value').country;

/** Per EU VAT prefix: values that fit (Stripe's documented examples first) and values that do not. */
const EU_VAT: [string, string[], string[]][] = [
  ['AT', ['ATU12345678'], ['AT12345678', 'ATU1234567']],
  ['BE', ['BE0123456789', 'BE1234567890'], ['BE2123456789', 'BE012345678']],
  ['BG', ['BG0123456789', 'BG123456789'], ['BG12345678']],
  ['CY', ['CY12345678Z'], ['CY123456789']],
  ['CZ', ['CZ1234567890', 'CZ12345678'], ['CZ1234567']],
  ['DE', ['DE123456789'], ['DE12345678', 'DE1234567890', 'DEABCDEFGHI']],
  ['DK', ['DK12345678'], ['DK1234567']],
  ['EE', ['EE123456789'], ['EE12345678']],
  ['GR', ['EL123456789'], ['EL12345678', 'GR123456789']],
  ['ES', ['ESA1234567Z', 'ES12345678Z', 'ESX1234567A'], ['ES123456', 'ESA12345678Z']],
  ['FI', ['FI12345678'], ['FI123456789']],
  ['FR', ['FRAB123456789', 'FR12345678901'], ['FRAB12345678', 'FROI123456789']],
  ['HR', ['HR12345678912'], ['HR1234567891']],
  ['HU', ['HU12345678'], ['HU123456789']],
  ['IE', ['IE1234567AB', 'IE1234567T', 'IE1S23456T'], ['IE12345678', 'IE1234567']],
  ['IT', ['IT12345678912'], ['IT1234567891']],
  ['LT', ['LT123456789', 'LT123456789123'], ['LT1234567890']],
  ['LU', ['LU12345678'], ['LU1234567']],
  ['LV', ['LV12345678912'], ['LV1234567891']],
  ['MT', ['MT12345678'], ['MT123456789']],
  ['NL', ['NL123456789B12'], ['NL123456789012', 'NL123456789B1']],
  ['PL', ['PL1234567890'], ['PL123456789']],
  ['PT', ['PT123456789'], ['PT12345678']],
  ['RO', ['RO1234567891', 'RO12'], ['RO1', 'RO12345678901']],
  ['SE', ['SE123456789123'], ['SE12345678912']],
  ['SI', ['SI12345678'], ['SI1234567']],
  ['SK', ['SK1234567891'], ['SK123456789']],
  ['GB', ['XI123456789', 'XI123456789012', 'XIGD001', 'XIHA500'], ['XI12345678']],
];

/** Per checked type: Stripe's documented example (first), other accepted forms, refused values. */
const TYPES: [TaxIdType, string[], string[]][] = [
  ['ad_nrt', ['A-123456-Z'], ['A-12345-Z', '1-123456-Z']],
  ['ae_trn', ['123456789012345'], ['12345678901234']],
  ['ar_cuit', ['12-3456789-01', '20-12345678-9'], ['12-3456-01']],
  ['au_abn', ['12345678912', '12 345 678 912'], ['1234567891', 'ABN12345678']],
  ['au_arn', ['123456789123'], ['12345678912']],
  ['bg_uic', ['123456789'], ['12345678']],
  ['bh_vat', ['123456789012345'], ['1234567890123']],
  ['br_cnpj', ['01.234.456/5432-10', '01234456543210'], ['01.234.456/5432-1']],
  ['br_cpf', ['123.456.789-87', '12345678987'], ['123.456.789-8']],
  ['ca_bn', ['123456789'], ['12345678', '123456789RT0001']],
  ['ca_gst_hst', ['123456789RT0002'], ['123456789RP0002', '123456789']],
  ['ca_pst_bc', ['PST-1234-5678'], ['PST-123-5678']],
  ['ca_pst_mb', ['123456-7'], ['12345-7']],
  ['ca_pst_sk', ['1234567'], ['123456']],
  ['ca_qst', ['1234567890TQ1234'], ['1234567890TQ123']],
  ['ch_uid', ['CHE-123.456.789 HR', 'CHE123456789'], ['CHE-123.456.78']],
  ['ch_vat', ['CHE-123.456.789 MWST', 'CHE123456789 TVA', 'CHE-123.456.789 IVA'], ['CHE-123.456.789']],
  ['cl_tin', ['12.345.678-K', '12345678-9'], ['12.345.678-X']],
  ['co_nit', ['123.456.789-0'], ['123.456.789']],
  ['cr_tin', ['1-234-567890'], ['1-234-56789']],
  ['do_rcn', ['123-4567890-1'], ['123-456789-1']],
  ['ec_ruc', ['1234567890001'], ['123456789000']],
  ['eg_tin', ['123456789'], ['1234567890']],
  ['es_cif', ['A12345678', 'B1234567C'], ['123456789']],
  ['eu_oss_vat', ['EU123456789'], ['EU12345678', 'DE123456789']],
  ['gb_vat', ['GB123456789', 'GB123456789012', 'GBGD001', 'GBHA500'], ['GB12345678', '123456789']],
  ['ge_vat', ['123456789'], ['12345678']],
  ['hk_br', ['12345678'], ['1234567']],
  ['hr_oib', ['12345678901'], ['1234567890']],
  ['hu_tin', ['12345678-1-23'], ['12345678-1-2']],
  ['il_vat', ['000012345'], ['12345']],
  ['in_gst', ['12ABCDE3456FGZH', '22AAAAA0000A1Z5'], ['12ABCDE3456FGXH', '12ABCD3456FGZH']],
  ['is_vat', ['123456'], ['1234']],
  ['jp_cn', ['1234567891234'], ['123456789123']],
  ['jp_rn', ['12345'], ['1234']],
  ['jp_trn', ['T1234567891234'], ['1234567891234']],
  ['ke_pin', ['P000111111A'], ['P00011111A']],
  ['kr_brn', ['123-45-67890', '1234567890'], ['123-45-6789']],
  ['li_uid', ['CHE123456789'], ['CH123456789']],
  ['mx_rfc', ['ABC010203AB9', 'ABCD010203AB9'], ['AB010203AB9', 'ABC0102AB9']],
  ['my_frp', ['12345678'], ['1234567']],
  ['my_itn', ['C 1234567890'], ['1234567890']],
  ['my_sst', ['A12-3456-78912345'], ['A12-3456-7891234']],
  ['no_vat', ['123456789MVA'], ['123456789', '12345678MVA']],
  ['no_voec', ['1234567'], ['123456']],
  ['nz_gst', ['123456789', '123-456-789', '12-345-678'], ['1234567']],
  ['pe_ruc', ['12345678901'], ['1234567890']],
  ['ph_tin', ['123456789012', '123456789'], ['1234567890']],
  ['ro_tin', ['1234567890123'], ['123456789012']],
  ['rs_pib', ['123456789'], ['12345678']],
  ['ru_inn', ['1234567891', '123456789012'], ['12345678901']],
  ['ru_kpp', ['123456789'], ['12345678']],
  ['sa_vat', ['123456789012345'], ['12345678901234']],
  ['sg_gst', ['M12345678X', '123456789X'], ['M1234567X']],
  ['sg_uen', ['123456789F', '12345678F', 'T09LL0001B'], ['1234567F']],
  ['si_tin', ['12345678'], ['1234567']],
  ['sv_nit', ['1234-567890-123-4'], ['1234-567890-12-4']],
  ['th_vat', ['1234567891234'], ['123456789123']],
  ['tr_tin', ['0123456789'], ['012345678']],
  ['tw_vat', ['12345678'], ['1234567']],
  ['us_ein', ['12-3456789', '123456789'], ['12-345678', '1-23456789']],
  ['uy_ruc', ['123456789012'], ['12345678901']],
  ['ve_rif', ['A-12345678-9'], ['A-1234567-9']],
  ['vn_tin', ['1234567890', '1234567890-123'], ['123456789']],
  ['za_vat', ['4123456789'], ['5123456789', '412345678']],
];

describe('tax ID formats', () => {
  test('every type stripe@23.1.0 lists is accepted, and no other', () => {
    const sdk = sdkTaxIdTypes();
    assert.ok(sdk.length > 100, `read ${sdk.length} types from the SDK`);
    assert.deepEqual([...TAX_ID_TYPES].sort(), sdk.sort());
  });

  test('EU VAT numbers: each country prefix with its own format', () => {
    for (const [country, good, bad] of EU_VAT) {
      for (const value of good) assert.equal(accepts('eu_vat', value), country, value);
      for (const value of bad) rejects('eu_vat', value);
    }
    for (const value of ['US123456789', 'DE', '', '123456789']) rejects('eu_vat', value);
  });

  test('the common types: valid values pass, malformed ones are tax_id_invalid', () => {
    for (const [type, good, bad] of TYPES) {
      for (const value of good) accepts(type, value);
      for (const value of bad) rejects(type, value);
    }
  });

  test('every type with a known format has rows in the tables above', () => {
    const covered = new Set<string>([...TYPES.map(([type]) => type), 'eu_vat']);
    assert.deepEqual(
      CHECKED_TYPES.filter((type) => !covered.has(type)),
      [],
    );
  });

  test('white space and case are ignored; the country comes from the type or the value', () => {
    assert.equal(accepts('eu_vat', ' de 123 456 789 '), 'DE');
    assert.equal(accepts('gb_vat', 'gb123456789'), 'GB');
    assert.equal(accepts('us_ein', '12-3456789'), 'US');
    assert.equal(accepts('ca_gst_hst', '123456789rt0002'), 'CA');
    assert.equal(accepts('eu_oss_vat', 'EU123456789'), null);
  });

  test('types without a known format take letters, digits and separators with a digit', () => {
    assert.equal(accepts('al_tin', 'J12345678N'), 'AL');
    assert.equal(accepts('de_stn', '12/345/67890'), 'DE');
    for (const value of ['ABCDEFG', 'J1234<5678', 'x'.repeat(51), '-123']) rejects('al_tin', value);
  });

  test('a refusal is Stripe-shaped and names the param it was given', () => {
    const error = rejects('eu_vat', 'DE12', 'tax_id_data[2][value]');
    assert.equal(error.status, 400);
    assert.deepEqual(error.body, {
      type: 'invalid_request_error',
      code: 'tax_id_invalid',
      message: 'Invalid value for eu_vat.',
      param: 'tax_id_data[2][value]',
    });
  });

  test('verification: test numbers in test mode, unavailable in live mode, none for other types', () => {
    const cases: [string, string, boolean, string | null][] = [
      ['eu_vat', 'DE000000000', false, 'verified'],
      ['eu_vat', 'DE111111111', false, 'unverified'],
      ['eu_vat', 'DE222222222', false, 'unavailable'],
      ['eu_vat', 'DE123456789', false, 'pending'],
      ['gb_vat', 'GB000000000', false, 'verified'],
      ['au_abn', '12000000000', false, 'verified'],
      ['au_abn', '12111111111', false, 'unverified'],
      ['eu_vat', 'DE000000000', true, 'unavailable'],
      ['us_ein', '00-0000000', false, null],
      ['ch_vat', 'CHE-000.000.000 MWST', false, null],
    ];
    for (const [type, value, livemode, status] of cases) {
      assert.equal(verificationOutcome(type, value, livemode), status, `${type} ${value} live=${livemode}`);
    }
  });
});
