// How the view writes sizes and addresses.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** "4 KiB", "1.5 MiB", "42.6 TiB": three significant digits at most, binary units. */
export function formatSize(bytes: bigint): string {
  let unit = 0;
  let whole = bytes;
  while (whole >= 1024n && unit < UNITS.length - 1) {
    whole /= 1024n;
    unit++;
  }
  const value = Number(bytes) / 1024 ** unit;
  const text = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
  return `${text.replace(/\.0$/, '')} ${UNITS[unit]}`;
}

/** A "0x…" hex string as maps prints addresses: lowercase, at least 8 digits, no prefix. */
export function mapsAddress(hex: string): string {
  return hex.slice(2).padStart(8, '0');
}

/** rwx letters of segment flags (PF_R 4, PF_W 2, PF_X 1). */
export function segmentRwx(flags: number): string {
  return `${flags & 4 ? 'r' : '-'}${flags & 2 ? 'w' : '-'}${flags & 1 ? 'x' : '-'}`;
}
