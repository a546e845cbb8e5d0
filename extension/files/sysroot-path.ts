import { lstat, readlink } from 'node:fs/promises';
import { pathInRoot, resolveInRoot as resolveWith, type LinkLookup } from '../../simulator/loader/resolve-in-root';

/** lstat/readlink for the shared chroot-style resolver. */
const lookupLink: LinkLookup = async (hostPath) => {
  try {
    const st = await lstat(hostPath);
    return st.isSymbolicLink() ? { link: await readlink(hostPath) } : 'other';
  } catch {
    return 'missing';
  }
};

/** Resolves an absolute path inside `root` as a process chrooted there would (as `asx maps --sysroot` does). */
export function resolveInRoot(root: string, path: string): Promise<string> {
  return resolveWith(root, path, lookupLink);
}

export { pathInRoot };
