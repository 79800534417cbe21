// The faces invoices are set in, and which face draws each character.
//
// Noto Sans draws Latin (Vietnamese and Maltese included), Cyrillic and Greek; Noto Sans Thai,
// JP, KR, SC and TC draw their scripts. The files are whole TrueType fonts shipped in npm packages
// (Google Fonts' static builds, SIL Open Font License). A face is read and parsed the first time a
// document needs it and kept for the life of the process: the CJK files are 5–10 MB each, so a
// server that never renders a Japanese invoice never loads the Japanese face.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Font, GlyphRun } from 'fontkit';

export type Script = 'latin' | 'thai' | 'jp' | 'kr' | 'sc' | 'tc';
export type Weight = 'regular' | 'bold';
export type FaceKey = `${Script}-${Weight}`;

const FILES: Record<Script, { pkg: string; regular: string; bold: string }> = {
  latin: {
    pkg: '@expo-google-fonts/noto-sans',
    regular: '400Regular/NotoSans_400Regular.ttf',
    bold: '700Bold/NotoSans_700Bold.ttf',
  },
  thai: {
    pkg: '@expo-google-fonts/noto-sans-thai',
    regular: '400Regular/NotoSansThai_400Regular.ttf',
    bold: '700Bold/NotoSansThai_700Bold.ttf',
  },
  jp: {
    pkg: '@expo-google-fonts/noto-sans-jp',
    regular: '400Regular/NotoSansJP_400Regular.ttf',
    bold: '700Bold/NotoSansJP_700Bold.ttf',
  },
  kr: {
    pkg: '@expo-google-fonts/noto-sans-kr',
    regular: '400Regular/NotoSansKR_400Regular.ttf',
    bold: '700Bold/NotoSansKR_700Bold.ttf',
  },
  sc: {
    pkg: '@expo-google-fonts/noto-sans-sc',
    regular: '400Regular/NotoSansSC_400Regular.ttf',
    bold: '700Bold/NotoSansSC_700Bold.ttf',
  },
  tc: {
    pkg: '@expo-google-fonts/noto-sans-tc',
    regular: '400Regular/NotoSansTC_400Regular.ttf',
    bold: '700Bold/NotoSansTC_700Bold.ttf',
  },
};

const WEIGHTS: Weight[] = ['regular', 'bold'];
const faces = new Map<FaceKey, Promise<Font>>();
const require = createRequire(import.meta.url);

function fontPath(script: Script, weight: Weight): string {
  const { pkg, [weight]: file } = FILES[script];
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

function loadFace(key: FaceKey): Promise<Font> {
  let face = faces.get(key);
  if (face === undefined) {
    const [script, weight] = key.split('-') as [Script, Weight];
    face = (async () => {
      const [{ create }, bytes] = await Promise.all([import('fontkit'), readFile(fontPath(script, weight))]);
      const font = create(bytes);
      if (!('layout' in font)) throw new Error(`${key}: a font collection, not a font`);
      return withShapingCache(font);
    })();
    face.catch(() => faces.delete(key));
    faces.set(key, face);
  }
  return face;
}

type Block = 'thai' | 'hangul' | 'kana' | 'han' | undefined;

const SHAPING_CACHE_SIZE = 4000;

/** What pdfkit reads of a shaped glyph: its id, its advance, and the text it stands for. */
interface ShapedGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/**
 * Shaping a word (substitutions, kerning, mark positions) costs far more than drawing it, and
 * pdfkit's own cache lasts one document: the font keeps the shapes of the words it has set, for
 * every document. pdfkit scales the positions it is given in place, so each call gets its own copy.
 *
 * The text each glyph stands for (the document's ToUnicode map, which makes it searchable) is
 * worked out here too. fontkit's glyph objects carry the characters of whichever text first
 * produced them in the process, which would make a document depend on what was rendered before
 * it; so a glyph maps to the character of this text that the font's cmap maps to it, else to any
 * character the cmap maps to it (the parts of a decomposed character), else to what fontkit says
 * (ligatures and contextual forms, whose characters do not change).
 */
function withShapingCache(font: Font): Font {
  const layout = font.layout.bind(font);
  const shapes = new Map<string, { glyphs: ShapedGlyph[]; run: GlyphRun }>();
  const mapped = new Map<number, number[]>();
  const cmapCodePoints = (id: number): number[] => {
    let codePoints = mapped.get(id);
    if (codePoints === undefined) {
      codePoints =
        font
          .stringsForGlyph(id)
          .map((s) => [...s].map((ch) => ch.codePointAt(0)!))
          .sort((a, b) => a.length - b.length || a[0]! - b[0]!)[0] ?? [];
      mapped.set(id, codePoints);
    }
    return codePoints;
  };
  const shape = (text: string) => {
    const run = layout(text);
    const own = new Map<number, number>();
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const id = font.glyphForCodePoint(cp).id;
      if (!own.has(id) || own.get(id)! > cp) own.set(id, cp);
    }
    const glyphs = run.glyphs.map((glyph): ShapedGlyph => {
      const cp = own.get(glyph.id);
      const codePoints = cp !== undefined ? [cp] : cmapCodePoints(glyph.id);
      return {
        id: glyph.id,
        advanceWidth: glyph.advanceWidth,
        codePoints: codePoints.length > 0 ? codePoints : [...glyph.codePoints],
      };
    });
    return { glyphs, run };
  };
  font.layout = (text: string, features?: never) => {
    if (features !== undefined) return layout(text, features);
    let shaped = shapes.get(text);
    if (shaped === undefined) {
      if (shapes.size >= SHAPING_CACHE_SIZE) shapes.clear();
      shaped = shape(text);
      shapes.set(text, shaped);
    }
    return copyRun(shaped.run, shaped.glyphs);
  };
  return font;
}

const advances = new WeakMap<Font, Map<string, number>>();

/**
 * The advance of a text in font units, as pdfkit measures and draws it: shaped word by word, each
 * word with the space after it. Kept for every document.
 */
export function advanceOf(font: Font, text: string): number {
  let known = advances.get(font);
  if (known === undefined) {
    known = new Map();
    advances.set(font, known);
  }
  let advance = known.get(text);
  if (advance === undefined) {
    advance = 0;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i === text.length || text[i] === ' ' || text[i] === '\t') {
        if (i + 1 > start) advance += font.layout(text.slice(start, i + 1)).advanceWidth;
        start = i + 1;
      }
    }
    if (known.size >= SHAPING_CACHE_SIZE) known.clear();
    known.set(text, advance);
  }
  return advance;
}

function copyRun(run: GlyphRun, glyphs: ShapedGlyph[]): GlyphRun {
  const positions = run.positions.map((position) => ({ ...position }));
  return {
    glyphs: glyphs as unknown as GlyphRun['glyphs'],
    positions,
    script: run.script,
    language: run.language,
    direction: run.direction,
    features: run.features,
    get advanceWidth() {
      let width = 0;
      for (const position of positions) width += position.xAdvance;
      return width;
    },
    get advanceHeight() {
      let height = 0;
      for (const position of positions) height += position.yAdvance;
      return height;
    },
    get bbox() {
      return run.bbox;
    },
  };
}

/** The script block a code point belongs to, for the scripts that need a face of their own. */
function blockOf(cp: number): Block {
  if (cp < 0x0e00) return undefined;
  if (cp <= 0x0e7f) return 'thai';
  if (cp < 0x1100) return undefined;
  if (cp <= 0x11ff) return 'hangul';
  if (cp < 0x2e80) return undefined;
  if (cp <= 0x303f) return 'han'; // radicals, ideographic description, CJK symbols and punctuation
  if (cp <= 0x30ff) return 'kana';
  if (cp <= 0x312f) return 'han'; // bopomofo
  if (cp <= 0x318f) return 'hangul';
  if (cp <= 0x31ef) return 'han';
  if (cp <= 0x31ff) return 'kana';
  if (cp <= 0x9fff) return 'han';
  if (cp >= 0xa960 && cp <= 0xa97f) return 'hangul';
  if (cp >= 0xac00 && cp <= 0xd7ff) return 'hangul';
  if (cp >= 0xf900 && cp <= 0xfaff) return 'han';
  if (cp >= 0xfe30 && cp <= 0xfe4f) return 'han';
  if (cp >= 0xff65 && cp <= 0xff9f) return 'kana';
  if (cp >= 0xffa0 && cp <= 0xffdc) return 'hangul';
  if (cp >= 0xff00 && cp <= 0xffef) return 'han'; // full-width forms
  if (cp >= 0x1b000 && cp <= 0x1b16f) return 'kana';
  if (cp >= 0x20000 && cp <= 0x3ffff) return 'han';
  return undefined;
}

const HAN_ORDERS: Record<'jp' | 'kr' | 'sc' | 'tc', Script[]> = {
  jp: ['jp', 'tc', 'sc', 'kr'],
  kr: ['kr', 'tc', 'sc', 'jp'],
  sc: ['sc', 'tc', 'jp', 'kr'],
  tc: ['tc', 'sc', 'jp', 'kr'],
};

/** The CJK face a locale prefers for Han characters, if it is a CJK locale. */
function localeHan(locale: string): 'jp' | 'kr' | 'sc' | 'tc' | undefined {
  const [language, ...rest] = locale.toLowerCase().split(/[-_]/);
  if (language === 'ja') return 'jp';
  if (language === 'ko') return 'kr';
  if (language === 'zh') return rest.some((part) => ['tw', 'hk', 'mo', 'hant'].includes(part)) ? 'tc' : 'sc';
  return undefined;
}

const MARK = /^\p{M}$/u;
const SIMPLE = /^[\u0020-\u007e\u00a0-\u052f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]*$/;
const NEUTRAL = /^[\p{Zs}\p{P}]$/u;

export interface Run {
  script: Script;
  text: string;
}

/**
 * Chooses a face for every character of a document's strings. A character of a script with a face
 * of its own goes to that face; Han characters go to the face the string suggests (kana: Japanese,
 * hangul: Korean), else the locale's, else Simplified Chinese, else any CJK face that has the glyph.
 * Spaces and punctuation stay in the face of the text before them; combining marks stay with their
 * base. Everything else is Noto Sans, or a loaded face that has the glyph when Noto Sans lacks it.
 */
export class FontBook {
  private readonly han: 'jp' | 'kr' | 'sc' | 'tc' | undefined;
  private wanted = new Set<Script>();
  private readonly memo = new Map<string, Run[]>();
  /** The faces this document uses: what it draws depends on its strings alone, not on what the process has loaded before. */
  private readonly faces = new Map<FaceKey, Font>();

  constructor(locale: string) {
    this.han = localeHan(locale);
  }

  /** Loads the faces (both weights) that the strings need. */
  async prepare(strings: readonly string[]): Promise<void> {
    // A face not loaded yet is taken to have the glyph, then loaded; the next pass checks it.
    for (let pass = 0; pass < 6; pass++) {
      this.wanted.clear();
      for (const text of strings) this.runs(text);
      const missing = [...this.wanted].flatMap((script) =>
        WEIGHTS.map((weight): FaceKey => `${script}-${weight}`).filter((key) => !this.faces.has(key)),
      );
      if (missing.length === 0) return;
      const fonts = await Promise.all(missing.map(loadFace));
      for (const [i, key] of missing.entries()) this.faces.set(key, fonts[i]!);
      this.memo.clear();
    }
  }

  /** The text cut into runs of one face each. */
  runs(text: string): Run[] {
    let runs = this.memo.get(text);
    if (runs === undefined) {
      runs = this.cut(text);
      this.memo.set(text, runs);
    }
    return runs;
  }

  private cut(text: string): Run[] {
    // Latin, Greek and Cyrillic alone (most strings of most invoices): all Noto Sans.
    if (SIMPLE.test(text) && this.faces.has('latin-regular'))
      return text === '' ? [] : [{ script: 'latin', text }];
    const order = this.hanOrder(text);
    const runs: Run[] = [];
    let current: Script | undefined;
    let buffer = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let script: Script;
      if (current !== undefined && (MARK.test(ch) || (NEUTRAL.test(ch) && this.has(current, cp)))) {
        script = current;
      } else {
        script = this.pick(cp, order);
      }
      if (script !== current && buffer !== '') {
        runs.push({ script: current!, text: buffer });
        buffer = '';
      }
      current = script;
      buffer += ch;
    }
    if (buffer !== '') runs.push({ script: current!, text: buffer });
    return runs;
  }

  private hanOrder(text: string): Script[] {
    let hint = this.han;
    for (const ch of text) {
      const block = blockOf(ch.codePointAt(0)!);
      if (block === 'kana') {
        hint = 'jp';
        break;
      }
      if (block === 'hangul') {
        hint = 'kr';
        break;
      }
    }
    return HAN_ORDERS[hint ?? 'sc'];
  }

  private pick(cp: number, hanOrder: Script[]): Script {
    const block = blockOf(cp);
    const order: Script[] =
      block === 'thai'
        ? ['thai']
        : block === 'hangul'
          ? ['kr']
          : block === 'kana'
            ? ['jp', 'tc', 'sc', 'kr']
            : block === 'han'
              ? hanOrder
              : ['latin'];
    // A face already in use that has the glyph wins, so that a line cut from a longer string
    // (which may have lost the kana that chose its face) keeps a face the document uses.
    let unloaded: Script | undefined;
    for (const script of order) {
      const font = this.faces.get(`${script}-regular`);
      if (font === undefined) unloaded ??= script;
      else if (font.hasGlyphForCodePoint(cp)) return script;
    }
    // None has it: load the first of the script's faces not loaded yet (`prepare` checks it on its
    // next pass); meanwhile, any face in use that has the glyph, else Noto Sans' notdef.
    if (unloaded !== undefined) this.wanted.add(unloaded);
    for (const script of Object.keys(FILES) as Script[]) {
      if (this.has(script, cp)) return script;
    }
    return 'latin';
  }

  /** A face this document uses. */
  face(key: FaceKey): Font {
    const face = this.faces.get(key);
    if (face === undefined) throw new Error(`font ${key} is not loaded`);
    return face;
  }

  private has(script: Script, cp: number): boolean {
    return this.faces.get(`${script}-regular`)?.hasGlyphForCodePoint(cp) ?? false;
  }
}
