// Swap for a live test: the active swap when there is one, else a 64 MiB swap file in `dir`
// (fallocate, mkswap, swapon; root only), switched off and removed afterwards.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const swapActive = () => readFileSync('/proc/swaps', 'utf8').trim().split('\n').length > 1;
const run = (command: string, ...args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;

/** Runs `body` with swap on; undefined (body not run) where swap cannot be set up. */
export async function withSwap<T>(dir: string, body: () => Promise<T>): Promise<T | undefined> {
  if (swapActive()) return body();
  if (process.getuid?.() !== 0) return undefined;
  const file = join(dir, 'swapfile');
  if (!run('fallocate', '-l', '64M', file) || !run('chmod', '600', file) || !run('mkswap', file) || !run('swapon', file)) {
    rmSync(file, { force: true });
    return undefined;
  }
  try {
    return await body();
  } finally {
    run('swapoff', file);
    rmSync(file, { force: true });
  }
}
