/**
 * Debian's poppler-utils (pdfinfo, pdftotext, pdftoppm) for checking printed PDFs, installed by
 * the test setup itself when missing (as test/support/chromium.ts does for the browser).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS = ['/usr/bin/pdfinfo', '/usr/bin/pdftotext', '/usr/bin/pdftoppm'];

export function ensurePoppler(): void {
  if (TOOLS.every((t) => existsSync(t))) return;
  const policy = () => execFileSync('apt-cache', ['policy', 'poppler-utils'], { encoding: 'utf8' });
  if (/Candidate:\s*\(none\)/.test(policy()) || !/Candidate:/.test(policy()))
    execFileSync('apt-get', ['update'], { stdio: 'inherit', timeout: 600_000 });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'poppler-utils'], {
    stdio: 'inherit',
    timeout: 900_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  for (const t of TOOLS) if (!existsSync(t)) throw new Error(`apt-get install poppler-utils did not provide ${t}`);
}

/** Pages and page size (points) of a PDF, from pdfinfo. */
export function pdfInfo(path: string): { pages: number; widthPt: number; heightPt: number } {
  const out = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out);
  return { pages, widthPt: Number(size?.[1]), heightPt: Number(size?.[2]) };
}

export const pdfText = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

/** Renders every page to PNG next to the PDF (prefix-1.png, prefix-2.png, …). */
export function pdfToPngs(path: string, prefix: string, dpi = 60): void {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), path, prefix]);
}
