// Builds the console into dist/ (typecheck, then Vite). Skipped when dist/ is newer than every
// source, so the test setup and `npm start` can call it every time.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const stamp = `${root}dist/.built`;

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(`${path}/${f}`)));
}

const sources = Math.max(
  ...['src', 'index.html', 'build.mjs', 'tsconfig.json', 'package.json'].map((p) => newest(`${root}${p}`)),
);
let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {}
if (built > sources && !process.argv.includes('--force')) {
  console.log('console: up to date');
} else {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', `${root}tsconfig.json`],
    { stdio: 'inherit' },
  );
  await build({
    root,
    logLevel: 'warn',
    build: { outDir: `${root}dist`, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
  writeFileSync(stamp, new Date().toISOString());
  console.log('console: built into packages/console/dist');
}
