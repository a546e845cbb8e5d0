// npm run test:vscode: the in-host suites and the Playwright e2e suites in a real VS Code server,
// offline. Writes test-results/vscode-integration.json and vscode-e2e.json (vitest's counters).
//   --only integration|e2e   one of the two
//   --bench                  the speed measurements instead (npm run bench);
//                            with --only scenario, just the scenario panel and the echo floor;
//                            with --only host, just activation and the opens of /usr/bin/node against a trivial webview's
//   --update-docs-images     also copy the README screenshots to docs/images/
//   --grep PATTERN           only the e2e tests whose full title matches (mocha's grep)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { collectResults, type SuiteResults } from '../integration/mocha-results';
import { prepareWorkspace } from '../integration/workspace';
import { launchBrowser } from './support/browser';
import { runBench } from './support/bench';
import { installedExtensionsDir, missingPrerequisites, startServer } from './support/vscode-server';
import { E2E_ENV } from './support/e2e-env';

const root = resolve(__dirname, '../../..'); // out/test/e2e → the repository
const results = join(root, 'test-results');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const INTEGRATION_TIMEOUT_MS = 10 * 60_000;

function vsixPath(): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return join(root, `address-space-explorer-${version}.vsix`);
}

function failed(title: string, error: unknown): SuiteResults {
  return { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, tests: [{ title, state: 'failed', durationMs: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }] };
}

function report(name: string, file: string, r: SuiteResults): void {
  writeFileSync(join(results, file), JSON.stringify(r, null, 2));
  console.log(`\n${name}`);
  for (const t of r.tests) {
    const mark = t.state === 'passed' ? '  ✓' : t.state === 'failed' ? '  ✗' : '  -';
    console.log(`${mark} ${t.title}${t.state === 'passed' ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) console.log(t.error.replace(/^/gm, '      '));
  }
  console.log(`  ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}

/** The payload URL parameter that makes the workbench run extension tests (internal VS Code test machinery). */
function testPayload(testsPath: string): string {
  const remote = (p: string) => `vscode-remote://remote${p}`;
  return encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', remote(root)], ['extensionTestsPath', remote(testsPath)]]));
}

/** Opens the workbench on a workspace with the extension under development and waits for `resultsFile`. */
async function runInHost(testsPath: string, resultsFile: string, env: Record<string, string> = {}): Promise<void> {
  rmSync(resultsFile, { force: true });
  const workspace = prepareWorkspace(root);
  const server = await startServer(root, { env: { ...env, ASX_TEST_RESULTS: resultsFile } });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${testPayload(testsPath)}`);
    const deadline = Date.now() + INTEGRATION_TIMEOUT_MS;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) throw new Error(`no results in ${resultsFile} after ${INTEGRATION_TIMEOUT_MS / 1000} s; server log: ${server.log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function integration(): Promise<void> {
  const file = join(results, 'vscode-integration.json');
  try {
    await runInHost(join(root, 'out/test/integration/index.js'), file);
    report('In-host integration tests (VS Code server 1.139, Node extension host)', 'vscode-integration.json', JSON.parse(readFileSync(file, 'utf8')) as SuiteResults);
  } catch (error) {
    report('In-host integration tests', 'vscode-integration.json', failed('in-host integration run', error));
  }
}

async function e2e(): Promise<void> {
  let r: SuiteResults;
  try {
    const extensionsDir = await installedExtensionsDir(root, vsixPath());
    const running = await startServer(root, { extensionsDir });
    try {
      process.env[E2E_ENV.url] = running.url;
      process.env[E2E_ENV.workspace] = prepareWorkspace(root);
      process.env[E2E_ENV.root] = root;
      process.env[E2E_ENV.vsix] = vsixPath();
      if (args.includes('--update-docs-images')) process.env[E2E_ENV.docsImages] = join(root, 'docs/images');
      rmSync(join(results, 'screenshots'), { recursive: true, force: true });
      const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false, ...(grep ? { grep } : {}) });
      const suites = join(__dirname, 'suites');
      for (const f of readdirSync(suites).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(suites, f));
      r = await collectResults(mocha.run());
    } finally {
      await running.stop();
    }
  } catch (error) {
    r = failed('e2e run', error);
  }
  report('End-to-end tests (Playwright, VSIX installed in a VS Code server)', 'vscode-e2e.json', r);
}

async function main(): Promise<void> {
  mkdirSync(results, { recursive: true });
  const missing = missingPrerequisites(root);
  if (missing.length) {
    const error = `missing ${missing.join(', ')}: run scripts/install-vscode-server.sh`;
    if (!only || only === 'integration') report('In-host integration tests', 'vscode-integration.json', failed('prerequisites', error));
    if (!only || only === 'e2e') report('End-to-end tests', 'vscode-e2e.json', failed('prerequisites', error));
    process.exit(1);
  }
  if (args.includes('--bench')) return runBench(root, vsixPath(), runInHost, only);
  if (!only || only === 'integration') await integration();
  if (!only || only === 'e2e') await e2e();
  const all = ['vscode-integration.json', 'vscode-e2e.json']
    .filter((f) => !only || f.includes(only))
    .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as SuiteResults);
  process.exit(all.some((x) => x.numFailedTests > 0) ? 1 : 0);
}

void main();
