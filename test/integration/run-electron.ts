// The in-host suites in a desktop VS Code that @vscode/test-electron downloads (online machines).
// Offline, scripts/vscode-test.mjs runs the same suites in a VS Code server instead.
import { resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { prepareWorkspace } from './workspace';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../../..');
  const workspace = prepareWorkspace(root);
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(__dirname, 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { ASX_TEST_RESULTS: resolve(root, 'test-results/vscode-integration.json') },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
