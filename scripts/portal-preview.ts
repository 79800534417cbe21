// Renders every hosted-portal page from sample view models, serves each under the CSP the routes
// send, screenshots it in Chromium at phone and desktop widths, and runs axe-core on it.
//
//   node --import tsx scripts/portal-preview.ts [output folder] [--only=home,add-card] [--variant=de]
//
// Output (HTML files with the style sheet and script beside them, PNGs, a11y.json) goes to a
// folder outside the repository, the system's temporary folder by default.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portalAsset } from '../src/portal/ui/assets.ts';
import { type A11yViolation, checkA11y, launchBrowser } from '../test/support/browser.ts';
import { renderSamples, SAMPLE_NONCE, type SampleOptions } from '../test/support/portal-samples.ts';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--')) ?? join(tmpdir(), 'portico-portal-preview');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const onlyVariant = args
  .find((a) => a.startsWith('--variant='))
  ?.slice(10)
  .split(',');

interface Variant {
  name: string;
  options: SampleOptions;
  /** Pages to shoot (all when absent). */
  pages?: string[];
  colorScheme?: 'light' | 'dark';
}

const KEY_PAGES = ['home', 'billing-info', 'add-card', 'hosted-invoice'];

const variants: Variant[] = [
  { name: 'en', options: {} },
  { name: 'de', options: { locale: 'de', currency: 'eur' } },
  { name: 'ja', options: { locale: 'ja', currency: 'jpy', customerName: '山田 太郎' } },
  { name: 'fr', options: { locale: 'fr', currency: 'eur' }, pages: ['home', 'billing-info'] },
  {
    name: 'de-long',
    options: {
      locale: 'de',
      currency: 'eur',
      business: {
        name: 'Donaudampfschifffahrtsgesellschaftskapitänsmützenmanufaktur GmbH',
        headline: 'Rechnungsadressenänderungsbenachrichtigungen und Zahlungsmethodenverwaltungsübersicht',
      },
      customerName: 'Maximilianus Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung',
    },
    pages: KEY_PAGES,
  },
  {
    name: 'brand-dark',
    options: { business: { name: 'Northwind Bank', primaryColor: '#0A2540', secondaryColor: '#00D4FF' } },
    pages: KEY_PAGES,
  },
  {
    name: 'brand-light',
    options: { business: { name: 'Sunny Snacks', primaryColor: '#FFE01B', secondaryColor: '#241C15' } },
    pages: KEY_PAGES,
  },
  { name: 'dark-scheme', options: {}, pages: KEY_PAGES, colorScheme: 'dark' },
  { name: 'live', options: { testMode: false }, pages: ['add-card', '3ds'] },
];

const csp = (nonce: string) =>
  [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const ORIGIN = 'http://portal.test';

mkdirSync(out, { recursive: true });
const css = portalAsset('portal.css');
const js = portalAsset('portal.js');
writeFileSync(join(out, 'portal.css'), css.body);
writeFileSync(join(out, 'portal.js'), js.body);

const browser = await launchBrowser();
const report: Record<string, A11yViolation[]> = {};
const problems: string[] = [];
try {
  for (const variant of variants) {
    if (onlyVariant && !onlyVariant.includes(variant.name)) continue;
    const pages = renderSamples(variant.options);
    for (const [name, html] of Object.entries(pages)) {
      if (variant.pages && !variant.pages.includes(name)) continue;
      if (only && !only.includes(name)) continue;
      const base = `${variant.name}-${name}`;
      // Side by side with the assets, for opening in a browser by hand.
      writeFileSync(join(out, `${base}.html`), html.replaceAll('/p/assets/', './'));
      for (const width of [375, 1280]) {
        const context = await browser.newContext({
          viewport: { width, height: width < 600 ? 812 : 900 },
          colorScheme: variant.colorScheme ?? 'light',
          reducedMotion: 'reduce',
        });
        const page = await context.newPage();
        page.on('console', (msg) => {
          if (msg.type() === 'error') problems.push(`${base}@${width}: ${msg.text()}`);
        });
        await page.route(`${ORIGIN}/**`, (route) => {
          const path = new URL(route.request().url()).pathname;
          if (path === '/p/assets/portal.css')
            return route.fulfill({ body: css.body, contentType: css.contentType });
          if (path === '/p/assets/portal.js')
            return route.fulfill({ body: js.body, contentType: js.contentType });
          if (path === '/page')
            return route.fulfill({
              body: html,
              contentType: 'text/html; charset=utf-8',
              headers: { 'content-security-policy': csp(SAMPLE_NONCE) },
            });
          return route.fulfill({ status: 404, body: '' });
        });
        await page.goto(`${ORIGIN}/page`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) problems.push(`${base}@${width}: ${overflow}px wider than the viewport`);
        await page.screenshot({ path: join(out, `${base}-${width}.png`), fullPage: true });
        if (width < 600) {
          // Phone-sized pieces too, to read the small screen at its real size.
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          for (let y = 0, k = 0; y < height; y += 812, k++) {
            const clip = { x: 0, y, width, height: Math.min(812, height - y) };
            await page.screenshot({ path: join(out, `${base}-${width}-part${k}.png`), fullPage: true, clip });
          }
        }
        if (width === 1280 || variant.name === 'en') {
          const violations = await checkA11y(page);
          if (violations.length > 0) report[`${base}@${width}`] = violations;
        }
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
}

writeFileSync(join(out, 'a11y.json'), `${JSON.stringify(report, null, 2)}\n`);
const count = Object.values(report).reduce((n, v) => n + v.length, 0);
console.log(`preview written to ${out}`);
console.log(`axe-core: ${count} serious or critical violation(s)`);
for (const [page, violations] of Object.entries(report))
  for (const v of violations)
    console.log(`  ${page}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(', ')}`);
for (const p of problems) console.log(`  problem: ${p}`);
process.exitCode = count > 0 || problems.length > 0 ? 1 : 0;
