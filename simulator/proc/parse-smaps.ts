// Reads a real /proc/PID/smaps or /proc/PID/maps capture back into VMAs, for comparing it with
// the simulation. Tolerant (unknown fields are kept, bad lines are reported and skipped) and
// bounded (input size, lines, VMAs and errors are capped), with one-line errors that give the line.

/** One `Name:   123 kB` (or unitless, like THPeligible) line of an smaps entry. */
export interface SmapsFieldLine {
  readonly name: string;
  /** The value as printed: kB for `kB` fields, a plain number otherwise. */
  readonly value: number;
  readonly unit: 'kB' | '';
  /** 1-based line in the input, and the line itself (with its trailing blanks: the kernel's own). */
  readonly line: number;
  readonly raw: string;
}

/** One VMA: its maps line, and for smaps its fields and VmFlags. */
export interface SmapsEntry {
  readonly start: bigint;
  readonly end: bigint;
  /** Four characters, e.g. `rw-p`. */
  readonly perms: string;
  readonly offset: bigint;
  /** `fd:01`. */
  readonly dev: string;
  readonly inode: string;
  /** The pathname column, `""` for anonymous memory. */
  readonly pathname: string;
  readonly line: number;
  readonly raw: string;
  readonly fields: SmapsFieldLine[];
  vmFlags?: { readonly flags: readonly string[]; readonly line: number; readonly raw: string };
}

export interface SmapsParseError {
  readonly line: number;
  /** `line 12: not a maps line or an smaps field: 'xyz'`. */
  readonly message: string;
}

export interface ParsedSmaps {
  /** `smaps` when any VMA has fields, else `maps`. */
  readonly kind: 'maps' | 'smaps';
  readonly entries: SmapsEntry[];
  readonly errors: SmapsParseError[];
  /** Lines with errors in all (errors keeps the first `maxErrors`). */
  readonly errorCount: number;
  /** Set when the input went past a limit and the rest was not read. */
  readonly truncated?: string;
}

export interface ParseSmapsLimits {
  readonly maxChars?: number;
  readonly maxEntries?: number;
  readonly maxErrors?: number;
}

const DEFAULTS = { maxChars: 64 << 20, maxEntries: 262_144, maxErrors: 20 };
/** Characters of a bad line quoted in its error. */
const QUOTE = 60;

// start-end perms offset dev inode [pathname], as show_map_vma prints it.
const MAPS_LINE = /^([0-9a-fA-F]{1,16})-([0-9a-fA-F]{1,16})\s+([r-][w-][x-][ps])\s+([0-9a-fA-F]{1,16})\s+([0-9a-fA-F]{1,8}:[0-9a-fA-F]{1,8})\s+(\d{1,20})(?:\s+(.*))?$/;
const FIELD_LINE = /^([A-Za-z_][A-Za-z0-9_]{0,40}):\s+(\d{1,20})(?:\s+(kB))?\s*$/;
const VMFLAGS_LINE = /^VmFlags:((?:\s+[a-z0-9]{2})*)\s*$/;

const quote = (text: string) => `'${text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text}'`;

/** Parses smaps or maps text. Never throws. */
export function parseSmaps(text: string, limits: ParseSmapsLimits = {}): ParsedSmaps {
  const { maxChars, maxEntries, maxErrors } = { ...DEFAULTS, ...limits };
  const entries: SmapsEntry[] = [];
  const errors: SmapsParseError[] = [];
  let errorCount = 0;
  let truncated: string | undefined;
  const error = (line: number, message: string) => {
    errorCount++;
    if (errors.length < maxErrors) errors.push({ line, message: `line ${line}: ${message}` });
  };
  let input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (input.length > maxChars) {
    truncated = `only the first ${maxChars} characters were read`;
    input = input.slice(0, input.lastIndexOf('\n', maxChars) + 1);
  }
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let current: SmapsEntry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let raw = lines[i] as string;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const text = raw.trimEnd();
    if (text === '' || text.trimStart() === '') continue;
    // Field names start with a capital letter; the kernel prints addresses in lower case.
    const code = text.charCodeAt(0);
    if (code >= 65 && code <= 90) {
      const field = FIELD_LINE.exec(text);
      if (field) {
        if (!current) {
          error(line, `smaps field ${quote(field[1] ?? '')} before the first VMA line`);
          continue;
        }
        const value = Number(field[2]);
        current.fields.push({ name: field[1] ?? '', value: Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER, unit: field[3] === 'kB' ? 'kB' : '', line, raw });
        continue;
      }
      const flags = VMFLAGS_LINE.exec(text);
      if (flags) {
        if (!current) error(line, 'VmFlags before the first VMA line');
        else current.vmFlags = { flags: (flags[1] ?? '').trim().split(/\s+/).filter(Boolean), line, raw };
        continue;
      }
    }
    const maps = MAPS_LINE.exec(text);
    if (maps) {
      if (entries.length >= maxEntries) {
        truncated = `only the first ${maxEntries} VMAs were read`;
        break;
      }
      const [, s = '0', e = '0', perms = '', off = '0', dev = '', inode = '', pathname = ''] = maps;
      const start = BigInt(`0x${s}`);
      const end = BigInt(`0x${e}`);
      if (end <= start) error(line, `the VMA ends (0x${e}) before it starts (0x${s})`);
      current = { start, end, perms, offset: BigInt(`0x${off}`), dev, inode, pathname: pathname.trim(), line, raw, fields: [] };
      entries.push(current);
      continue;
    }
    error(line, /^[0-9a-f]+-[0-9a-f]+\s/i.test(text) ? `bad maps line ${quote(text)}: expected START-END PERMS OFFSET DEV INODE [PATHNAME]` : `not a maps line or an smaps field: ${quote(text)}`);
  }
  const kind = entries.some((e) => e.fields.length > 0 || e.vmFlags) ? 'smaps' : 'maps';
  return truncated ? { kind, entries, errors, errorCount, truncated } : { kind, entries, errors, errorCount };
}

/** Whether text looks like smaps or maps output: its first non-blank line is a maps line. */
export function looksLikeSmaps(text: string): boolean {
  const first = text.slice(0, 4096).split(/\r?\n/).find((l) => l.trim() !== '');
  return first !== undefined && MAPS_LINE.test(first.trimEnd());
}

/** The name a VMA goes by in messages: its pathname, or `anon@0x…`. */
export function entryName(e: SmapsEntry): string {
  return e.pathname || `anon@0x${e.start.toString(16)}`;
}
