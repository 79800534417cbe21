import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  AA_TEXT,
  contrast,
  DARK_SURFACE,
  LIGHT_SURFACE,
  luminance,
  parseHex,
  readableOn,
  textOn,
  themeCss,
  themeFor,
  toHex,
} from '../../src/portal/ui/theme.ts';

const rgb = fc.tuple(
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
);
const hex = rgb.map((c) => toHex(c));
const light = parseHex(LIGHT_SURFACE)!;
const dark = parseHex(DARK_SURFACE)!;

describe('portal theme contrast', () => {
  test('known values: luminance and WCAG ratios', () => {
    assert.equal(luminance([0, 0, 0]), 0);
    assert.equal(luminance([255, 255, 255]), 1);
    assert.equal(contrast([0, 0, 0], [255, 255, 255]), 21);
    assert.equal(contrast([119, 119, 119], [255, 255, 255]).toFixed(2), '4.48');
    assert.equal(contrast([255, 255, 255], [255, 255, 255]), 1);
  });

  test('parsing colours', () => {
    assert.deepEqual(parseHex('#0A2540'), [10, 37, 64]);
    assert.deepEqual(parseHex('fff'), [255, 255, 255]);
    assert.equal(parseHex('red'), undefined);
    assert.equal(parseHex('#12345'), undefined);
    assert.equal(parseHex('#123456;}body{'), undefined);
    assert.equal(toHex([10, 37, 64]), '#0a2540');
  });

  test('text on any brand colour reaches AA', () => {
    fc.assert(fc.property(rgb, (c) => contrast(textOn(c), c) >= AA_TEXT));
  });

  test('brand ink reads at AA on the light and dark page, and is the brand itself when that already does', () => {
    fc.assert(
      fc.property(rgb, (c) => {
        for (const surface of [light, dark]) {
          const ink = readableOn(c, surface);
          if (contrast(ink, surface) < AA_TEXT) return false;
          if (contrast(c, surface) >= AA_TEXT && toHex(ink) !== toHex(c)) return false;
        }
        return true;
      }),
    );
  });

  test('every pair of a theme keeps AA, whatever the colours', () => {
    fc.assert(
      fc.property(hex, hex, (primary, secondary) => {
        const t = themeFor(primary, secondary);
        const p = (h: string) => parseHex(h)!;
        return (
          contrast(p(t.onBrand), p(t.brand)) >= AA_TEXT &&
          contrast(p(t.onAccent), p(t.accent)) >= AA_TEXT &&
          contrast(p(t.brandInk), light) >= AA_TEXT &&
          contrast(p(t.brandInkDark), dark) >= AA_TEXT
        );
      }),
    );
  });

  test('examples: a dark and a light brand', () => {
    const navy = themeFor('#0A2540');
    assert.equal(navy.onBrand, '#ffffff');
    assert.equal(navy.brandInk, '#0a2540');
    assert.notEqual(navy.brandInkDark, '#0a2540', 'navy is lightened for the dark page');
    const yellow = themeFor('#FFE01B');
    assert.equal(yellow.onBrand, '#111418');
    assert.notEqual(yellow.brandInk, '#ffe01b', 'yellow is darkened for links on white');
    assert.equal(yellow.brandInkDark, '#ffe01b');
  });

  test('invalid colours fall back to the defaults, and the CSS holds only hex colours', () => {
    const t = themeFor('url(javascript:alert(1))', '</style><script>');
    assert.deepEqual(t, themeFor(undefined, undefined));
    const css = themeCss(themeFor('#abcdef', '#123'));
    assert.match(css, /^:root\{--brand:#abcdef;/);
    assert.doesNotMatch(css.replace(/#[0-9a-f]{6}/g, ''), /[<>"']/);
  });
});
