// smaps (or maps) text → LiveVma rows. One pass with indexOf, no object per field line: a
// process with 64k VMAs has 1.6 million smaps lines (45 MB), and each VMA keeps its block as
// one slice of the text. Damaged lines become bounded one-line errors, as in proc/parse-smaps.
import type { LiveVma } from './types';

export type MutableVma = { -readonly [K in keyof LiveVma]: LiveVma[K] };

// start-end perms offset dev inode [pathname], as show_map_vma prints it.
const MAPS_LINE = /^([0-9a-f]{1,16})-([0-9a-f]{1,16}) ([r-][w-][x-][ps]) ([0-9a-f]{1,16}) ([0-9a-f]{1,8}:[0-9a-f]{1,8}) (\d{1,20})(?: +(.*))?$/;
const MAX_ERRORS = 20;
/** VMAs kept at most (the kernel's vm.max_map_count default is 65530; 4x that). */
const MAX_VMAS = 262_144;
const QUOTE = 60;

const quote = (text: string) => `'${text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text}'`;

/** Field names seen, keyed by length and first and last characters: 1.6 million lines share two dozen names. */
const NAMES = new Map<number, string>();

function fieldName(text: string, from: number, to: number): string {
  const key = (to - from) * 0x1000000 + text.charCodeAt(from) * 0x10000 + text.charCodeAt(to - 1) * 0x100 + (text.charCodeAt(from + 1) & 0xff);
  const known = NAMES.get(key);
  if (known !== undefined && text.startsWith(known, from)) return known;
  const name = text.slice(from, to);
  if (NAMES.size < 256) NAMES.set(key, name);
  return name;
}

/**
 * The fields of a VMA as an object with the same shape as every other VMA's with the same fields in
 * the same order: two dozen fields set one by one make a dictionary-mode object (about 1 KB, and
 * slow to read); a copy of a template made once per field list is a fast object of about 250 bytes.
 */
const FIELD_TEMPLATES = new Map<string, Readonly<Record<string, number>>>();
const MAX_TEMPLATES = 64;
/** The field list used last and its template: nearly every VMA of a process has the same list, of the same (fieldName's) strings. */
let lastNames: readonly string[] = [];
let lastTemplate: Readonly<Record<string, number>> = {};

function templateOf(names: readonly string[]): Readonly<Record<string, number>> {
  if (names.length === lastNames.length && names.every((name, i) => name === lastNames[i])) return lastTemplate;
  const key = names.join(' ');
  let template = FIELD_TEMPLATES.get(key);
  if (template === undefined) {
    template = Object.fromEntries(names.map((name) => [name, 0]));
    if (FIELD_TEMPLATES.size >= MAX_TEMPLATES) FIELD_TEMPLATES.clear();
    FIELD_TEMPLATES.set(key, template);
  }
  lastNames = names.slice();
  lastTemplate = template;
  return template;
}

function fieldsObject(names: readonly string[], values: readonly number[]): Record<string, number> {
  const fields: Record<string, number> = { ...templateOf(names) };
  for (let i = 0; i < names.length; i++) fields[names[i]!] = values[i]!;
  return fields;
}

/** VmFlags words seen (about thirty two-letter words): each VMA's list shares the strings. */
const VM_FLAG_WORDS = new Map<string, string>();

function vmFlagWords(text: string): string[] {
  const trimmed = text.trim();
  // split makes an array sized to fit (filter would grow one by push, with room for 17).
  const words = trimmed === '' ? [] : trimmed.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const known = VM_FLAG_WORDS.get(words[i]!);
    if (known !== undefined) words[i] = known;
    else if (VM_FLAG_WORDS.size < 256) VM_FLAG_WORDS.set(words[i]!, words[i]!);
  }
  return words;
}

/** The number in text[from, to) after blanks and before an optional " kB"; -1 when there is none or it is not a safe integer. */
function numberAt(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && text.charCodeAt(i) === 32) i++;
  let value = 0;
  const first = i;
  for (; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  if (i === first || !Number.isSafeInteger(value)) return -1;
  return i === to || text.startsWith(' kB', i) || text.charCodeAt(i) === 32 ? value : -1;
}

/** Lowercase hex digits as `0x` and the digits without leading zeros (one zero for zero). */
function hex(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return `0x${i ? digits.slice(i) : digits}`;
}

/** Parses smaps or maps text; damaged lines become one-line errors naming `file` (at most 20, then a count). */
export function parseLiveVmas(text: string, file: string): { vmas: MutableVma[]; errors: string[] } {
  const vmas: MutableVma[] = [];
  const errors: string[] = [];
  let bad = 0;
  const error = (line: number, message: string) => {
    if (++bad <= MAX_ERRORS) errors.push(`${file}: line ${line}: ${message}`);
  };
  let current: MutableVma | undefined;
  let blockStart = 0;
  // The current VMA's fields, made into its object when its block ends.
  const names: string[] = [];
  const values: number[] = [];
  const close = (end: number) => {
    if (!current) return;
    if (end > blockStart) current.smapsText = text.slice(blockStart, end);
    if (names.length) current.fields = fieldsObject(names, values);
    names.length = 0;
    values.length = 0;
  };
  let at = 0;
  let line = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    line++;
    const code = text.charCodeAt(at);
    if (code >= 65 && code <= 90) {
      // A field ("Rss:   12 kB", "THPeligible:    0") or VmFlags.
      const colon = text.indexOf(':', at);
      if (!current) error(line, `smaps field ${quote(text.slice(at, end))} before the first VMA line`);
      else if (colon > at && colon < end) {
        const name = fieldName(text, at, colon);
        if (name === 'VmFlags') current.vmFlags = vmFlagWords(text.slice(colon + 1, end));
        else {
          const value = numberAt(text, colon + 1, end);
          if (value >= 0) {
            names.push(name);
            values.push(value);
          } else error(line, `bad smaps field ${quote(text.slice(at, end))}`);
        }
      } else error(line, `not a maps line or an smaps field: ${quote(text.slice(at, end))}`);
    } else if (end > at) {
      const raw = text.slice(at, end);
      const m = MAPS_LINE.exec(raw.trimEnd());
      if (m && vmas.length < MAX_VMAS) {
        close(at);
        const [, s = '0', e = '0', perms = '', off = '0', dev = '', inode = '0', path = ''] = m;
        const start = hex(s);
        const stop = hex(e);
        // Without leading zeros, the longer hex number is the larger; of two as long, the later in order.
        if (stop.length < start.length || (stop.length === start.length && stop <= start)) error(line, `the VMA ends (0x${e}) before it starts (0x${s})`);
        const ino = Number(inode);
        current = {
          index: vmas.length, start, end: stop, perms, offset: hex(off),
          dev, inode: Number.isSafeInteger(ino) ? ino : 0, path: path.trim(), mapsLine: raw, fields: {}, smapsText: '', vmFlags: [],
          // Set later, by the page scan: here, so that they are in the object and not in an array of their own.
          explain: undefined, pages: undefined,
        };
        blockStart = at;
        vmas.push(current);
      } else if (m) {
        error(line, `more than ${MAX_VMAS} VMAs: the rest was not read`);
        close(at);
        current = undefined;
        break;
      } else error(line, /^[0-9a-f]+-[0-9a-f]+\s/i.test(raw) ? `bad maps line ${quote(raw)}: expected START-END PERMS OFFSET DEV INODE [PATHNAME]` : `not a maps line or an smaps field: ${quote(raw)}`);
    }
    at = end + 1;
  }
  close(text.length);
  // Without fields, the VMA's text is its maps line only: no smaps block.
  for (const v of vmas) if (!v.vmFlags.length && !Object.keys(v.fields).length) v.smapsText = '';
  if (bad > MAX_ERRORS) errors.push(`${file}: ${bad - MAX_ERRORS} more bad lines`);
  return { vmas, errors };
}

/** smaps counts no page of these VMAs in Pss: VM_PFNMAP/VM_IO (vm_normal_page) and hugetlb (its own counters). */
export function skipKind(vma: LiveVma): 'pfnmap' | 'hugetlb' | undefined {
  if (vma.vmFlags.includes('ht')) return 'hugetlb';
  if (vma.vmFlags.includes('pf') || vma.vmFlags.includes('io') || vma.path === '[vvar]' || vma.path === '[vvar_vclock]') return 'pfnmap';
  return undefined;
}

/** Whether the VMA maps a shared-memory object (shmem), judged from its name and flags. */
export function looksShmem(vma: LiveVma): boolean {
  const p = vma.path;
  return p.startsWith('/dev/zero') || p.startsWith('/SYSV') || p.startsWith('/memfd:') || p.startsWith('/dev/shm/') || (p === '' && vma.perms[3] === 's');
}
