// Sizes, numbers and addresses of the scenario language: parsing with precise
// messages, and one canonical way to print a size.

/** The page size of x86-64: the unit of the `P` suffix. */
export const PAGE_SIZE = 4096n;

/** The largest value a size, offset, seed or address may have: 2^64 - 1. */
export const U64_MAX = (1n << 64n) - 1n;

/**
 * The largest `set ram` and `set swap`: 2^24 pages (64G). The machine keeps a few bytes per frame
 * and per swap slot, and the panel's frame grid shows at most this many cells.
 */
export const MAX_MACHINE_BYTES = 64n << 30n;

/** The smallest `set ram`: the kernel's own frames, the page tables and a program must fit. */
export const MIN_RAM_BYTES = 1n << 20n;

/** Multipliers of the size suffixes. `kB` is how smaps prints kilobytes. */
export const SIZE_SUFFIXES: Readonly<Record<string, bigint>> = {
  K: 1024n,
  M: 1024n ** 2n,
  G: 1024n ** 3n,
  P: PAGE_SIZE,
  k: 1024n,
  m: 1024n ** 2n,
  g: 1024n ** 3n,
  p: PAGE_SIZE,
  kB: 1024n,
};

/** The result of parsing a number: its value, or a message saying what is wrong. */
export type NumberResult = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly message: string };

const fail = (message: string): NumberResult => ({ ok: false, message });

const TOO_BIG = `(the largest is 0xffffffffffffffff, 2^64 - 1)`;
const SIZE_FORM = `a decimal or 0x hex number with an optional suffix K, M, G or P`;

/** Digits of a decimal or `0x` hex number, without suffix; an error message if malformed. */
function parseDigits(text: string, what: string): NumberResult {
  if (/^0x/i.test(text)) {
    const digits = text.slice(2);
    if (digits === '') return fail(`bad hex number '${text}': no digits after '${text}'`);
    const bad = /[^0-9a-f]/i.exec(digits);
    if (bad) return fail(`bad hex number '${text}': '${bad[0]}' is not a hex digit`);
    return { ok: true, value: BigInt('0x' + digits) };
  }
  if (/^\d+$/.test(text)) return { ok: true, value: BigInt(text) };
  if (text.startsWith('-')) return fail(`${what} '${text}' is negative; expected ${what === 'size' ? SIZE_FORM : 'a number >= 0'}`);
  return fail(`expected ${what === 'size' ? `a size (${SIZE_FORM})` : `a ${what}`}, found '${text}'`);
}

/**
 * A size: decimal or `0x` hex, with an optional suffix `K`, `M`, `G` (powers of
 * 1024) or `P` (4096-byte pages); lower-case suffixes and smaps' `kB` are accepted
 * too. Examples: `4096`, `0x1000`, `32K`, `1M`, `0x10P` (16 pages).
 */
export function parseSize(text: string): NumberResult {
  // Scenarios write the same few sizes on most lines: each is parsed once, and its statements share the bigint.
  const known = parsedSizes.get(text);
  if (known !== undefined) return known;
  const result = parseSizeText(text);
  if (parsedSizes.size >= KNOWN_SIZES) parsedSizes.clear();
  parsedSizes.set(text, result);
  return result;
}

/** The sizes parsed lately, by text (results are immutable). */
const parsedSizes = new Map<string, NumberResult>();
const KNOWN_SIZES = 1024;

function parseSizeText(text: string): NumberResult {
  if (text === '') return fail(`expected a size (${SIZE_FORM})`);
  const match = /^(0x[0-9a-f]*|\d+)(kB|[KMGPkmgp])?$/i.exec(text);
  if (!match) {
    // Say which part is wrong: the suffix, the digits, or the whole word.
    const number = /^(0x[0-9a-f]*|\d+)(.*)$/i.exec(text);
    if (number && number[1] !== undefined && number[2] !== undefined && !/^0x$/i.test(number[1]) && /^[A-Za-z]+$/.test(number[2])) {
      if (/^0x/i.test(number[1])) {
        return fail(`bad hex size '${text}': '${number[2]}' is neither hex digits nor a suffix K, M, G or P`);
      }
      return fail(`bad size '${text}': unknown suffix '${number[2]}'; expected K, M, G or P`);
    }
    if (/^0x/i.test(text)) {
      const bad = /[^0-9a-f]/i.exec(text.slice(2));
      if (bad) return fail(`bad hex number '${text}': '${bad[0]}' is not a hex digit`);
    }
    if (/^[+-]?\d*\.\d/.test(text)) return fail(`bad size '${text}': sizes are whole numbers; expected ${SIZE_FORM}`);
    if (text.startsWith('-')) return fail(`size '${text}' is negative; expected ${SIZE_FORM}`);
    return fail(`expected a size (${SIZE_FORM}), found '${text}'`);
  }
  const digits = parseDigits(match[1] ?? '', 'size');
  if (!digits.ok) return digits;
  const suffix = match[2];
  const value = digits.value * (suffix === undefined ? 1n : (SIZE_SUFFIXES[suffix.length === 2 ? 'kB' : suffix] ?? 1n));
  if (value > U64_MAX) return fail(`size '${text}' does not fit in 64 bits ${TOO_BIG}`);
  return { ok: true, value };
}

/** A plain number (decimal or `0x` hex, no suffix), e.g. the RNG seed. */
export function parseInteger(text: string, what = 'number'): NumberResult {
  if (text === '') return fail(`expected a ${what}`);
  if (/^(0x[0-9a-f]*|\d+)(kB|[KMGPkmgp])$/i.test(text) && !/^0x[0-9a-f]+$/i.test(text)) {
    return fail(`expected a ${what} (decimal or 0x hex) without a size suffix, found '${text}'`);
  }
  const result = parseDigits(text, what);
  if (result.ok && result.value > U64_MAX) return fail(`${what} '${text}' does not fit in 64 bits ${TOO_BIG}`);
  return result;
}

/** An address: `0x` followed by hex digits, below 2^64. */
export function parseAddress(text: string): NumberResult {
  if (!/^0x/i.test(text)) return fail(`expected an address (0x followed by hex digits), found '${text}'`);
  const digits = text.slice(2);
  if (digits === '') return fail(`bad address '${text}': no hex digits after '0x'`);
  const bad = /[^0-9a-f]/i.exec(digits);
  if (bad) return fail(`bad address '${text}': '${bad[0]}' is not a hex digit`);
  const value = BigInt('0x' + digits);
  if (value > U64_MAX) return fail(`address '${text}' does not fit in 64 bits ${TOO_BIG}`);
  return { ok: true, value };
}

/**
 * The canonical text of a size: the largest of `G`, `M`, `K` that divides it
 * exactly, else plain bytes. `4096n` → `4K`, `1048576n` → `1M`, `1536n` → `1536`,
 * `0n` → `0`. Negative sizes (a brk decrement) print with a `-`.
 * `parseSize(formatSize(x))` is always `x` for `0 <= x < 2^64`.
 */
export function formatSize(bytes: bigint): string {
  if (bytes < 0n) return '-' + formatSize(-bytes);
  if (bytes === 0n) return '0';
  for (const [suffix, unit] of [['G', 1024n ** 3n], ['M', 1024n ** 2n], ['K', 1024n]] as const) {
    if (bytes % unit === 0n) return `${bytes / unit}${suffix}`;
  }
  return bytes.toString();
}

/** A size as smaps prints it: `32 kB` (bytes rounded down to kilobytes). */
export function formatKilobytes(bytes: bigint): string {
  return `${bytes / 1024n} kB`;
}

/** True if `value` is a multiple of the page size. */
export function isPageAligned(value: bigint): boolean {
  return value % PAGE_SIZE === 0n;
}
