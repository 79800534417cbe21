// Chromium for page tests and previews: the system's browser, no downloads, no network chatter.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PORTICO_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
}

export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending nodes, with the failure summary of the first. */
  targets: string[];
  summary: string;
}

let axeSource: string | undefined;

/**
 * Runs axe-core (from node_modules, injected into the page) and returns its serious and critical
 * violations. Injection goes through the DevTools protocol, so a page's CSP does not block it.
 */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const results = (await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is a global the script above defines
    (globalThis as any).axe.run(document, { resultTypes: ['violations'] }),
  )) as {
    violations: {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[]; failureSummary?: string }[];
    }[];
  };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      summary: v.nodes[0]?.failureSummary ?? '',
    }));
}
