// Test-only extensions (test/fixtures/*-extension): packaged with vsce into a VSIX, offline,
// so that a server can install them beside ours the way a user installs any extension.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Packages the extension folder `test/fixtures/<name>` and returns the VSIX's path. */
export function packTestExtension(root: string, name: string): string {
  const vsix = join(mkdtempSync(join(tmpdir(), `asx-${name}-`)), `${name}.vsix`);
  const vsce = join(root, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: join(root, 'test/fixtures', name), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packaging test/fixtures/${name} failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}
