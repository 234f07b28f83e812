// A sweep report in a real browser (Debian's chromium, headless, driven by playwright-core): load the
// file from disk with the network cut off, count every chart's data marks, measure how much of a
// screenshot is not blank, and save a chart as a PNG. The tests (test/sweep.test.ts) and the README's
// plot (`npx tsx scripts/reportBrowser.ts REPORT.html --chart ID --png FILE`) go through this one path.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (setup.sh --test installs it); LOWBIT_CHROMIUM another one. */
export const CHROMIUM = process.env.LOWBIT_CHROMIUM ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container: no sandbox; no GPU, no background traffic, /dev/shm may be small.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
  });
}

export interface ChartMarks {
  id: string;
  kind: string;
  /** What the report says it drew. */
  expected: number;
  /** Data marks found in the rendered SVG. */
  found: number;
  width: number;
  height: number;
}

export interface ReportInspection {
  charts: ChartMarks[];
  /** Requests to anything but the file itself (a self-contained report makes none). */
  requests: string[];
  consoleErrors: string[];
  /** Fraction of the screenshot's pixels that are not white. */
  inked: number;
  /** Rows of the points table, and its first column after clicking the header `sortBy` (if given). */
  tableRows: number;
  sorted?: string[];
}

async function openReport(browser: Browser, file: string, requests: string[], errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const url = pathToFileURL(resolve(file)).href;
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** The fraction of a PNG's pixels that are not (near) white, decoded by the browser itself. */
async function inkedFraction(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) ink++;
    return ink / (px.length / 4);
  }, png.toString('base64'));
}

/** Loads a report and reports what rendered. */
export async function inspectReport(file: string, o: { sortBy?: string } = {}): Promise<ReportInspection> {
  const browser = await launch();
  try {
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    const page = await openReport(browser, file, requests, consoleErrors);
    const charts = await page.$$eval('figure[data-chart]', (figs) =>
      figs.map((f) => {
        const kind = f.getAttribute('data-mark-kind') ?? 'symbol';
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.getAttribute('data-chart') ?? '',
          kind,
          expected: Number(f.getAttribute('data-marks')),
          // Vega draws one path per datum inside the mark's group; legends use other roles.
          found: f.querySelectorAll(`svg g.mark-${kind}.role-mark > path`).length,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    const shot = await page.screenshot({ fullPage: false });
    const inked = await inkedFraction(page, shot);
    const tableRows = await page.$$eval('#points tbody tr', (rows) => rows.length);
    let sorted: string[] | undefined;
    if (o.sortBy !== undefined) {
      await page.click(`#points th:text-is("${o.sortBy}")`);
      sorted = await page.$$eval('#points tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[0].textContent ?? ''));
    }
    return { charts, requests, consoleErrors, inked, tableRows, sorted };
  } finally {
    await browser.close();
  }
}

/** Saves one chart (its figure, caption included) as a PNG. */
export async function chartPng(file: string, chart: string, out: string): Promise<void> {
  const browser = await launch();
  try {
    const page = await openReport(browser, file, [], []);
    const fig = await page.$(`figure[data-chart="${chart}"]`);
    if (!fig) throw new Error(`${file} has no chart ${chart}`);
    writeFileSync(out, await fig.screenshot());
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, ...rest] = process.argv.slice(2);
  const arg = (n: string) => rest[rest.indexOf(n) + 1];
  if (!file) {
    console.error('usage: npx tsx scripts/reportBrowser.ts REPORT.html [--chart ID --png OUT.png]');
    process.exit(2);
  }
  if (rest.includes('--chart')) await chartPng(file, arg('--chart'), arg('--png'));
  else console.log(JSON.stringify(await inspectReport(file), null, 2));
}
