/**
 * SVG uploads are rebuilt from an allowlist rather than filtered: the document is tokenised,
 * elements and attributes Portico knows to be inert are written out again (re-escaped), and
 * everything else is dropped. So scripts, event handlers, `<foreignObject>`, animations (which can
 * rewrite links), external references (`href` to anything but `#id`, `url()` to anything but
 * `#id`, `@import`, `<image>`), processing instructions (`<?xml-stylesheet?>`) and comments do
 * not survive. A DOCTYPE (entity expansion) or a document that is not well formed is refused.
 */

export class SvgRejected extends Error {}

const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'style',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'clipPath',
  'mask',
  'marker',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
]);

/** Elements whose tags are dropped but whose content is kept (a logo wrapped in a link). */
const UNWRAPPED = new Set(['a', 'switch']);

const ATTRIBUTES = new Set([
  'id',
  'class',
  'style',
  'lang',
  'xml:space',
  'xml:lang',
  'xmlns',
  'xmlns:xlink',
  'version',
  'baseProfile',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'd',
  'points',
  'pathLength',
  'viewBox',
  'preserveAspectRatio',
  'transform',
  'href',
  'xlink:href',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'opacity',
  'color',
  'display',
  'visibility',
  'overflow',
  'clip-path',
  'clip-rule',
  'clipPathUnits',
  'mask',
  'maskUnits',
  'maskContentUnits',
  'filter',
  'filterUnits',
  'primitiveUnits',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'offset',
  'stop-color',
  'stop-opacity',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'marker-start',
  'marker-mid',
  'marker-end',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'letter-spacing',
  'word-spacing',
  'text-decoration',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'startOffset',
  'in',
  'in2',
  'result',
  'mode',
  'operator',
  'k1',
  'k2',
  'k3',
  'k4',
  'values',
  'type',
  'tableValues',
  'slope',
  'intercept',
  'amplitude',
  'exponent',
  'stdDeviation',
  'edgeMode',
  'radius',
  'flood-color',
  'flood-opacity',
  'color-interpolation-filters',
  'shape-rendering',
  'text-rendering',
  'image-rendering',
  'vector-effect',
  'mix-blend-mode',
  'isolation',
  'paint-order',
]);

const NAMESPACES: Record<string, string> = {
  xmlns: 'http://www.w3.org/2000/svg',
  'xmlns:xlink': 'http://www.w3.org/1999/xlink',
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&([^;\s&]{0,32});/g, (_, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff)
        throw new SvgRejected('a bad character reference');
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[name];
    if (value === undefined) throw new SvgRejected(`an undefined entity (&${name};)`);
    return value;
  });
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** CSS (a `style` attribute or element) that could fetch something or run something. */
function unsafeCss(css: string): boolean {
  const lower = css.toLowerCase();
  if (/@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding|\\/.test(lower)) return true;
  // `url()` may only point inside the document.
  return /url\s*\(\s*(?!['"]?#)/.test(lower);
}

function keepAttribute(name: string, value: string): boolean {
  if (!ATTRIBUTES.has(name)) return false;
  if (name in NAMESPACES) return value === NAMESPACES[name];
  if (name === 'href' || name === 'xlink:href') return value.trim().startsWith('#');
  if (name === 'style') return !unsafeCss(value);
  return !unsafeCss(value) && !/^\s*(javascript|data|vbscript):/i.test(value);
}

// Sticky expressions read the source in place, so a long document is never copied piecewise.
const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?)>/y;

interface Tag {
  name: string;
  attributes: [string, string][];
  selfClosing: boolean;
  end: number;
}

function readTag(source: string, start: number): Tag {
  NAME.lastIndex = start + 1;
  const name = NAME.exec(source)?.[0];
  if (!name) throw new SvgRejected('a malformed tag');
  let pos = NAME.lastIndex;
  const attributes: [string, string][] = [];
  for (;;) {
    ATTRIBUTE.lastIndex = pos;
    const attribute = ATTRIBUTE.exec(source);
    if (!attribute) break;
    attributes.push([attribute[1]!, attribute[2] ?? attribute[3] ?? '']);
    pos = ATTRIBUTE.lastIndex;
  }
  TAG_END.lastIndex = pos;
  const close = TAG_END.exec(source);
  if (!close) throw new SvgRejected(`a malformed <${name}> tag`);
  return { name, attributes, selfClosing: close[1] === '/', end: TAG_END.lastIndex };
}

/** The text of a `<style>` element from `start` (after its tag) up to and past `</style>`. */
function readStyleSheet(source: string, start: number): { css: string; end: number } {
  let css = '';
  let pos = start;
  for (;;) {
    const lt = source.indexOf('<', pos);
    if (lt < 0) throw new SvgRejected('an unclosed <style>');
    css += decodeEntities(source.slice(pos, lt));
    if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt + 9);
      if (end < 0) throw new SvgRejected('an unclosed CDATA section');
      css += source.slice(lt + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end < 0) throw new SvgRejected('an unclosed comment');
      pos = end + 3;
    } else {
      const close = /^<\/style\s*>/.exec(source.slice(lt, lt + 20));
      if (!close) throw new SvgRejected('markup inside <style>');
      return { css, end: lt + close[0].length };
    }
  }
}

const MAX_DEPTH = 256;

/** The sanitised document, or SvgRejected with the reason. */
export function sanitizeSvg(input: string): string {
  const source = input.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(source)) throw new SvgRejected('a DOCTYPE');
  const out: string[] = [];
  /** Open elements: kept, unwrapped, or inside a dropped subtree. */
  const stack: { name: string; mode: 'keep' | 'unwrap' | 'drop' }[] = [];
  let rootSeen = false;
  // Everything inside a dropped element is dropped too, so the innermost open element tells.
  const dropping = () => stack.length > 0 && stack[stack.length - 1]!.mode === 'drop';
  const emitText = (text: string) => {
    if (dropping()) return;
    if (stack.length === 0) {
      if (text.trim() !== '') throw new SvgRejected('text outside the root element');
      return;
    }
    out.push(escapeText(text));
  };
  let pos = 0;
  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    if (lt < 0) {
      emitText(decodeEntities(source.slice(pos)));
      break;
    }
    if (lt > pos) emitText(decodeEntities(source.slice(pos, lt)));
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end < 0) throw new SvgRejected('an unclosed comment');
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt + 9);
      if (end < 0) throw new SvgRejected('an unclosed CDATA section');
      emitText(source.slice(lt + 9, end));
      pos = end + 3;
    } else if (source.startsWith('<?', lt)) {
      const end = source.indexOf('?>', lt + 2);
      if (end < 0) throw new SvgRejected('an unclosed processing instruction');
      pos = end + 2;
    } else if (source.startsWith('</', lt)) {
      const match = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(lt, lt + 300));
      const open = stack.pop();
      if (!match || !open || open.name !== match[1]) throw new SvgRejected('mismatched tags');
      if (open.mode === 'keep') out.push(`</${open.name}>`);
      pos = lt + match[0].length;
    } else {
      const tag = readTag(source, lt);
      pos = tag.end;
      if (stack.length === 0) {
        if (rootSeen) throw new SvgRejected('more than one root element');
        if (tag.name !== 'svg') throw new SvgRejected('a root element other than <svg>');
        rootSeen = true;
      }
      const mode = dropping()
        ? 'drop'
        : ELEMENTS.has(tag.name)
          ? 'keep'
          : UNWRAPPED.has(tag.name)
            ? 'unwrap'
            : 'drop';
      if (mode === 'keep' && tag.name === 'style' && !tag.selfClosing) {
        // A style sheet is kept whole or dropped whole: CSS that could fetch something goes.
        const sheet = readStyleSheet(source, pos);
        pos = sheet.end;
        if (!unsafeCss(sheet.css)) out.push(`<style>${escapeText(sheet.css)}</style>`);
        continue;
      }
      if (mode === 'keep') {
        const kept = tag.attributes
          .map(([name, value]) => [name, decodeEntities(value)] as const)
          .filter(([name, value]) => keepAttribute(name, value))
          .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`);
        // A standalone SVG file needs its namespace on the root to display at all.
        if (stack.length === 0 && !kept.some((a) => a.startsWith(' xmlns='))) {
          kept.unshift(` xmlns="${NAMESPACES.xmlns}"`);
        }
        out.push(`<${tag.name}${kept.join('')}${tag.selfClosing ? '/>' : '>'}`);
      }
      if (!tag.selfClosing) {
        if (stack.length >= MAX_DEPTH) throw new SvgRejected(`elements nested more than ${MAX_DEPTH} deep`);
        stack.push({ name: tag.name, mode });
      }
    }
  }
  if (!rootSeen) throw new SvgRejected('no <svg> element');
  if (stack.length > 0) throw new SvgRejected(`an unclosed <${stack[stack.length - 1]!.name}>`);
  return out.join('');
}
