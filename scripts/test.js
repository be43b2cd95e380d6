#!/usr/bin/env node
// `npm test`: typecheck, lint (incl. layering rules), vitest (unit + integration), Playwright (end to end).
// Prints which service-backed suites were skipped and why, and a totals line
// "N passed, N failed" (also written to .tmp/test-totals.json for .ci/run).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = path.join(root, '.tmp');
fs.mkdirSync(tmp, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function step(name, cmd, args, env = {}) {
  console.log(`\n── ${name} ──`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) ok = false;
  return r.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

for (const [name, envVar] of [
  ['PostgreSQL (*.pg.test.ts)', 'TEST_DATABASE_URL'],
  ['Redis (*.redis.test.ts)', 'TEST_REDIS_URL'],
]) {
  if (!process.env[envVar]) console.log(`note: ${name} tests are skipped: ${envVar} is not set`);
}

if (!step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])) totals.failed++;
if (!step('typecheck app', 'npx', ['tsc', '-p', 'app/tsconfig.json', '--noEmit'])) totals.failed++;
if (!step('typecheck e2e', 'npx', ['tsc', '-p', 'e2e/tsconfig.json', '--noEmit'])) totals.failed++;
// eslint, prettier and the layering rules (no import cycle, no layer crossing).
if (!step('lint', 'npm', ['run', 'lint', '--silent'])) totals.failed++;

const vitestOut = path.join(tmp, 'vitest.json');
fs.rmSync(vitestOut, { force: true });
step('vitest', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestOut}`,
]);
const v = readJson(vitestOut);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  // A test file that fails to load has no failed test of its own: count the file.
  if (v.numFailedTests === 0) totals.failed += v.numFailedTestSuites ?? 0;
  totals.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
} else {
  totals.failed++;
}

const pwOut = path.join(tmp, 'playwright.json');
fs.rmSync(pwOut, { force: true });
if (fs.existsSync(path.join(root, 'e2e', 'playwright.config.ts'))) {
  // E2E runs the built product, exactly as `npm start` does.
  if (!step('build', 'npm', ['run', 'build', '--silent'])) totals.failed++;
  step('playwright', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut,
  });
  const p = readJson(pwOut);
  if (p?.stats) {
    totals.passed += p.stats.expected + p.stats.flaky;
    totals.failed += p.stats.unexpected;
    totals.skipped += p.stats.skipped;
  } else {
    totals.failed++;
  }
}

fs.writeFileSync(path.join(tmp, 'test-totals.json'), JSON.stringify(totals));
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
