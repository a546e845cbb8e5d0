// Moves a maps capture taken on another machine (or in another checkout) to this one:
// the paths and the device:inode columns of file lines change, nothing else.
import { statSync } from 'node:fs';

/** The "fe:00 5308471" columns /proc/PID/maps prints for a host file. */
export function deviceInode(hostPath: string): string {
  const st = statSync(hostPath, { bigint: true });
  const major = ((st.dev >> 8n) & 0xfffn) | ((st.dev >> 32n) & ~0xfffn);
  const minor = (st.dev & 0xffn) | ((st.dev >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')} ${st.ino}`;
}

/**
 * Each file line of `text` with its path as `shown(path)` and the identity of the host file
 * `host(shownPath)`, padded as the kernel pads the pathname column; a line for which `host`
 * gives undefined (a file bundled with its capture-time identity) keeps its columns.
 */
export function relocateCapture(text: string, shown: (captured: string) => string, host: (path: string) => string | undefined): string {
  return text
    .split('\n')
    .map((line) => {
      const m = /^(\S+ \S+ \S+) (\S+ \d+) +(\/.*)$/.exec(line);
      if (!m) return line;
      const path = shown(m[3] as string);
      const file = host(path);
      if (file === undefined) return `${`${m[1]} ${m[2]} `.padEnd(72, ' ')} ${path}`;
      return `${`${m[1]} ${deviceInode(file)} `.padEnd(72, ' ')} ${path}`;
    })
    .join('\n');
}
