import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * A complete HTML document from a page's tree. Every text and attribute value in the tree is
 * escaped by the renderer; the only raw HTML is what a component passes through
 * `dangerouslySetInnerHTML`, which the portal uses once, for the theme's validated colours.
 */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
