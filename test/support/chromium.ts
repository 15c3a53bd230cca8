/**
 * Debian's chromium for the browser tests, and a font with Chinese glyphs (the console is
 * zh-CN first; without one the screenshots show empty boxes), installed by the test setup
 * itself when missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

export function ensureChromium(): string {
  const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(existsSync(CJK_FONT) ? [] : [CJK_FONT_PACKAGE])];
  if (missing.length === 0) return CHROMIUM;
  const policy = () => execFileSync('apt-cache', ['policy', ...missing], { encoding: 'utf8' });
  // No candidate means the package lists were never fetched on this machine: fetch them once.
  if (/Candidate:\s*\(none\)/.test(policy()) || !/Candidate:/.test(policy()))
    execFileSync('apt-get', ['update'], { stdio: 'inherit', timeout: 600_000 });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    timeout: 900_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
  return CHROMIUM;
}

/**
 * Headless chromium with one laptop-sized page whose console errors and CSP violations land in
 * `problems` — except the refused requests a test provokes on purpose (`expectedStatuses`).
 */
export async function openConsolePage(
  executablePath: string,
  expectedStatuses: readonly number[],
  problems: string[],
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const refused = new RegExp(
    `Failed to load resource: the server responded with a status of (${expectedStatuses.join('|')})\\b`,
  );
  page.on('console', (m) => {
    if ((m.type() === 'error' && !refused.test(m.text())) || /Content Security Policy/i.test(m.text()))
      problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { browser, page };
}
