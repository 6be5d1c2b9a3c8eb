import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { startPlatform, type Platform } from '../../src/app/platform.ts';
import { REPO_ROOT } from './processes.ts';

/**
 * The shared harness of the browser tests: Debian's Chromium driven by playwright-core
 * against the real platform, in-process on an ephemeral port, on a fresh PGlite data
 * directory with the demo data.
 */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WEB_INDEX = path.join(REPO_ROOT, 'web/dist/index.html');
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots');
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

const hasChromium = fs.existsSync(CHROMIUM);

/** Outside CI a machine without Chromium skips browser tests with a warning; in CI they must fail. */
export function browserTestsEnabled(file: string): boolean {
  const enabled = hasChromium || Boolean(process.env.CI);
  if (!enabled) console.warn(`[${file}] ${CHROMIUM} not found: browser tests not run. Install it with: apt-get install -y chromium`);
  return enabled;
}

export interface BrowserHarness {
  platform(): Platform;
  /** A fresh browser profile (own cookies and localStorage); page errors are collected. */
  openPage(viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  shot(page: Page, name: string, fullPage?: boolean): Promise<void>;
}

/** Registers beforeAll/afterAll that start the platform and Chromium, and stop them. Call inside a describe. */
export function useBrowserPlatform(dirPrefix: string): BrowserHarness {
  let tmpDir: string | undefined;
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`Chromium is required in CI but ${CHROMIUM} is missing (apt-get install -y chromium).`);
    if (!fs.existsSync(WEB_INDEX)) throw new Error(`${path.relative(REPO_ROOT, WEB_INDEX)} is missing: build the web UI first with "npm run build:web".`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    platform = await startPlatform(loadConfig({}, { port: 0, host: '127.0.0.1', dataDir: tmpDir, logLevel: 'warn', publicBaseUrl: '' }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }, 60_000);

  return {
    platform: () => platform!,
    async openPage(viewport = DESKTOP) {
      const context = await browser!.newContext({ baseURL: platform!.url, viewport, locale: 'id-ID' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      return { page, errors };
    },
    async shot(page, name, fullPage = true) {
      // Sticky bars are drawn where the page is scrolled to; a full-page picture starts at the top.
      if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' });
    },
  };
}
