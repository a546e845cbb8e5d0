// Entry of the in-host suites (extensionTestsPath): VS Code calls run() inside the extension host,
// with the real `vscode` API. Results go to ASX_TEST_RESULTS (JSON) for the driver to read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';
import { collectResults } from './mocha-results';

/** In order: activation must be measured before anything else activates the extension. */
const SUITES = ['activation', 'custom-editor', 'messages', 'state-restore', 'scenario-language', 'scenario-panel', 'linked', 'live-process', 'core-file', 'twin'];

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false });
  for (const name of SUITES) mocha.addFile(join(__dirname, 'suites', `${name}.test.js`));
  const grep = process.env.ASX_TEST_GREP;
  if (grep) mocha.grep(grep);
  const results = await collectResults(mocha.run());
  const out = process.env.ASX_TEST_RESULTS;
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2));
  }
  if (results.numFailedTests > 0) throw new Error(`${results.numFailedTests} in-host test(s) failed`);
}
