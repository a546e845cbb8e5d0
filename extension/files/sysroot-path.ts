import { lstat, readlink } from 'node:fs/promises';
import { resolve } from 'node:path';

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves an absolute path inside `root` as a process chrooted there would: absolute symlink
 * targets restart at `root`, ".." never leaves it (the rules `asx maps --sysroot` follows).
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const parts = path.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (parts.length) {
    const part = parts.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = resolve(root, ...done, part);
    let isLink: boolean;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch {
      throw new Error(`${path}: no such file or directory in sysroot ${root} (ENOENT)`);
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_SYMLINK_HOPS) throw new Error(`${path}: too many levels of symbolic links (ELOOP)`);
    const target = await readlink(candidate);
    if (target.startsWith('/')) done.length = 0;
    parts.unshift(...target.split('/').filter(Boolean));
  }
  return resolve(root, ...done);
}

/** A host path as seen from inside `root`. */
export function pathInRoot(root: string, host: string): string {
  if (root === '/') return host;
  return host.startsWith(root + '/') ? host.slice(root.length) : host;
}
