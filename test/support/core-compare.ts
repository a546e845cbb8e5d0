// Compares `asx maps CORE` with the /proc/PID/maps captured before the dump: start, end, rwx,
// offset and path (or pseudo-path) of every line. dev:inode and p/s are not in a core.

export interface MapsFields {
  readonly range: string;
  readonly rwx: string;
  readonly offset: string;
  readonly path: string;
}

export function mapsFields(text: string): MapsFields[] {
  return text.split('\n').filter((l) => l.trim()).map((line) => {
    const m = /^([0-9a-f]+-[0-9a-f]+) ([r-][w-][x-])[ps] ([0-9a-f]+) [0-9a-f]+:[0-9a-f]+ \d+ *(.*)$/.exec(line);
    if (!m) throw new Error(`not a maps line: ${line}`);
    return { range: m[1] as string, rwx: m[2] as string, offset: m[3] as string, path: m[4] as string };
  });
}

/** The lines that differ, as "kernel | asx" pairs (empty when they agree). */
export function mapsDifferences(kernel: string, core: string): string[] {
  const a = mapsFields(kernel);
  const b = mapsFields(core);
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const show = (f?: MapsFields) => (f ? `${f.range} ${f.rwx} ${f.offset} ${f.path}` : '(none)');
    if (!x || !y || x.range !== y.range || x.rwx !== y.rwx || x.offset !== y.offset || x.path !== y.path) out.push(`${show(x)} | ${show(y)}`);
  }
  return out;
}
