// Dynamic string tokens ($ORIGIN, $PLATFORM, $LIB) as elf/dl-load.c expands them.

/** DL_DST_LIB on Debian's multiarch x86-64 build. */
export const DL_DST_LIB = 'lib/x86_64-linux-gnu';

const TOKENS = ['ORIGIN', 'PLATFORM', 'LIB'] as const;
type Token = (typeof TOKENS)[number];

/** is_dst: the token at `s[at]` (just after '$'), and its length including braces. */
function tokenAt(s: string, at: number): { token: Token; length: number } | undefined {
  const braced = s[at] === '{';
  const start = braced ? at + 1 : at;
  for (const token of TOKENS) {
    if (!s.startsWith(token, start)) continue;
    const end = start + token.length;
    if (braced) {
      if (s[end] === '}') return { token, length: token.length + 2 };
    } else if (end >= s.length || s[end] === '/') {
      return { token, length: token.length };
    }
  }
  return undefined;
}

/** _dl_dst_count */
export function dstCount(s: string): number {
  let count = 0;
  for (let i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i + 1)) if (tokenAt(s, i + 1)) count++;
  return count;
}

/** DL_DST_REQUIRED: the length ld.so reserves for `s` with `count` tokens expanded (`platform`: GLRO(dl_platform)). */
export function dstRequired(s: string, count: number, origin: string | undefined, platform: string): number {
  if (count === 0) return s.length;
  const dstLen = Math.max(origin?.length ?? 0, platform.length, DL_DST_LIB.length);
  return dstLen > 4 ? s.length + count * (dstLen - 4) : s.length;
}

/**
 * _dl_dst_substitute: `$ORIGIN` becomes the object's directory, `$PLATFORM` GLRO(dl_platform)
 * ("x86_64", or "haswell" on many Intel CPUs). An unknown origin makes the whole element unusable
 * (undefined), as in glibc.
 */
export function dstSubstitute(s: string, origin: string | undefined, platform: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const found = s[i] === '$' ? tokenAt(s, i + 1) : undefined;
    if (!found) {
      out += s[i];
      continue;
    }
    if (found.token === 'ORIGIN') {
      if (origin === undefined) return undefined;
      out += origin;
    } else {
      out += found.token === 'PLATFORM' ? platform : DL_DST_LIB;
    }
    i += found.length;
  }
  return out;
}

/** The directory part of a path, as _dl_new_object stores l_origin ("/" for a top-level file). */
export function originOf(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : path.slice(0, slash);
}
