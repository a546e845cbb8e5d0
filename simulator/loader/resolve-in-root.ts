const MAX_SYMLINK_HOPS = 40;

/** What a path component is: a symlink (with its target), something else, or missing. */
export type LinkLookup = (hostPath: string) => Promise<{ link: string } | 'other' | 'missing'>;

/** Joins path components under a root, as path.resolve would for normalized parts. */
function join(root: string, parts: readonly string[]): string {
  const base = root.endsWith('/') ? root.slice(0, -1) : root;
  return parts.length ? `${base}/${parts.join('/')}` : base || '/';
}

/**
 * Resolves an absolute path inside `root` as a process chrooted there would:
 * absolute symlink targets restart at `root`, and ".." never leaves it.
 */
export async function resolveInRoot(root: string, path: string, lookup: LinkLookup): Promise<string> {
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
    const found = await lookup(join(root, [...done, part]));
    if (found === 'missing') throw new Error(`${path}: no such file or directory in sysroot ${root} (ENOENT)`);
    if (found === 'other') {
      done.push(part);
      continue;
    }
    if (++hops > MAX_SYMLINK_HOPS) throw new Error(`${path}: too many levels of symbolic links (ELOOP)`);
    if (found.link.startsWith('/')) done.length = 0;
    parts.unshift(...found.link.split('/').filter(Boolean));
  }
  return join(root, done);
}

/** A host path as seen from inside `root`. */
export function pathInRoot(root: string, host: string): string {
  if (root === '/') return host;
  return host.startsWith(root + '/') ? host.slice(root.length) : host;
}
