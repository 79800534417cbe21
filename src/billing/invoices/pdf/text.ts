// Measures, wraps and draws text in several faces on one baseline. pdfkit draws each run; the
// line breaking is ours, from the locale's word segmentation, so that Thai (which has no spaces
// between words) and Chinese and Japanese (which break between almost any two characters) wrap
// where they should, and a line may mix faces.
import { advanceOf, type FaceKey, type FontBook, type Run, type Weight } from './fonts.ts';

export interface TextStyle {
  size: number;
  weight?: Weight;
  color?: string;
}

/** Noto Sans' ascender and descender, in ems: every line box is laid out on them. */
const ASCENT = 1.069;
const DESCENT = 0.293;

const segmenters = new Map<string, { words: Intl.Segmenter; graphemes: Intl.Segmenter }>();

function segmentersFor(locale: string) {
  let found = segmenters.get(locale);
  if (found === undefined) {
    let tag = locale;
    try {
      new Intl.Segmenter(tag);
    } catch {
      tag = 'en';
    }
    found = {
      words: new Intl.Segmenter(tag, { granularity: 'word' }),
      graphemes: new Intl.Segmenter(tag, { granularity: 'grapheme' }),
    };
    segmenters.set(locale, found);
  }
  return found;
}

// Scripts written without spaces: a line may break between two of their words.
const UNSPACED =
  /[\u0e00-\u0e7f\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]/u;
const OPENING = /^[\p{Ps}\p{Pi}]+$/u;
const CLOSING = /^[\p{Pe}\p{Pf}\p{Po}]+$/u;
// Spaces a line may break at: not the no-break ones (U+00A0, U+2007, U+202F) that bind amounts.
const SPACE = /^[ \t\u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]+$/u;
const DIGIT = /^\p{Nd}/u;

export class Typesetter {
  private readonly widths = new Map<string, number>();
  private readonly registered = new Set<FaceKey>();
  private readonly seg: { words: Intl.Segmenter; graphemes: Intl.Segmenter };

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly book: FontBook,
    locale: string,
    /** Line height in ems. */
    readonly leading: number,
  ) {
    this.seg = segmentersFor(locale);
  }

  lineHeight(style: TextStyle): number {
    return style.size * this.leading;
  }

  /** Where the baseline of a line box whose top is at `top` lies. */
  baseline(top: number, style: TextStyle): number {
    return top + (style.size * (this.leading - ASCENT - DESCENT)) / 2 + style.size * ASCENT;
  }

  width(text: string, style: TextStyle): number {
    const key = `${style.weight ?? 'regular'}|${style.size}|${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = 0;
      for (const run of this.runs(text)) width += this.runWidth(run, style);
      this.widths.set(key, width);
    }
    return width;
  }

  /** Draws one line with its top at `top`, starting at x (or ending at x, aligned right). */
  draw(text: string, x: number, top: number, style: TextStyle, align: 'left' | 'right' = 'left'): number {
    const width = this.width(text, style);
    let left = align === 'right' ? x - width : x;
    const baseline = this.baseline(top, style);
    this.doc.fillColor(style.color ?? '#1f2328');
    for (const run of this.runs(text)) {
      this.use(run, style);
      this.doc.text(run.text, left, baseline, { lineBreak: false, baseline: 'alphabetic' });
      left += this.runWidth(run, style);
    }
    return width;
  }

  /** Draws wrapped lines from `top`; returns the height used. */
  block(
    text: string,
    x: number,
    top: number,
    width: number,
    style: TextStyle,
    align: 'left' | 'right' = 'left',
  ) {
    const lines = this.wrap(text, width, style);
    const height = this.lineHeight(style);
    lines.forEach((line, i) => {
      this.draw(line, align === 'right' ? x + width : x, top + i * height, style, align);
    });
    return lines.length * height;
  }

  /** The height `block` would use. */
  blockHeight(text: string, width: number, style: TextStyle): number {
    return this.wrap(text, width, style).length * this.lineHeight(style);
  }

  /** The text broken into lines no wider than `width` (a word wider than that is cut between graphemes). */
  wrap(text: string, width: number, style: TextStyle): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split(/\r?\n/)) {
      let line = '';
      let lineWidth = 0;
      for (const chunk of this.chunks(paragraph)) {
        const chunkWidth = this.width(chunk, style);
        const trimmed = chunk.trimEnd();
        if (line !== '' && lineWidth + this.width(trimmed, style) > width) {
          lines.push(line.trimEnd());
          line = '';
          lineWidth = 0;
        }
        if (line === '' && this.width(trimmed, style) > width) {
          // Too wide for a line of its own: cut it between graphemes.
          for (const { segment } of this.seg.graphemes.segment(chunk)) {
            const w = this.width(segment, style);
            if (line !== '' && lineWidth + w > width && !SPACE.test(segment)) {
              lines.push(line.trimEnd());
              line = '';
              lineWidth = 0;
            }
            line += segment;
            lineWidth += w;
          }
          continue;
        }
        line += chunk;
        lineWidth += chunkWidth;
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** The text cut where a line may break: after spaces and hyphens, and between words of unspaced scripts. */
  private chunks(text: string): string[] {
    const chunks: string[] = [];
    let current = '';
    for (const { segment } of this.seg.words.segment(text)) {
      if (current === '') {
        current = segment;
        continue;
      }
      const last = current.at(-1)!;
      const breakable =
        !OPENING.test(current.slice(-1)) &&
        !CLOSING.test(segment) &&
        (SPACE.test(last) ||
          ((last === '-' || last === '/') && !DIGIT.test(segment)) ||
          ((UNSPACED.test(last) || UNSPACED.test(segment[0]!)) && !SPACE.test(segment)));
      if (breakable) {
        chunks.push(current);
        current = segment;
      } else {
        current += segment;
      }
    }
    if (current !== '') chunks.push(current);
    return chunks;
  }

  private runs(text: string): Run[] {
    return this.book.runs(text);
  }

  private runWidth(run: Run, style: TextStyle): number {
    const face = this.book.face(`${run.script}-${style.weight ?? 'regular'}`);
    return (advanceOf(face, run.text) * style.size) / face.unitsPerEm;
  }

  private use(run: Run, style: TextStyle): void {
    const key: FaceKey = `${run.script}-${style.weight ?? 'regular'}`;
    if (!this.registered.has(key)) {
      const face = this.book.face(key);
      // pdfkit takes a parsed fontkit font as it takes a file; it is parsed once per process.
      this.doc.registerFont(key, face as unknown as PDFKit.Mixins.PDFFontSource);
      this.registered.add(key);
    }
    this.doc.font(key).fontSize(style.size);
  }
}
