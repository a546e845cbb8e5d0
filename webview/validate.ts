// Hand-written checks for messages that cross the host/webview boundary: each returns the value typed, or throws.

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type Fields = Readonly<Record<string, unknown>>;

/** A received value for an error message: a string quoted and cut short, anything else by its type (String() throws for some objects). */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

export function record(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError(`${what} must be an object`);
  return value as Fields;
}

export function string(value: unknown, what: string, maxLength = 1 << 20): string {
  if (typeof value !== 'string') throw new ProtocolError(`${what} must be a string`);
  if (value.length > maxLength) throw new ProtocolError(`${what} is longer than ${maxLength} characters`);
  return value;
}

export function integer(value: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ProtocolError(`${what} must be an integer in ${min}..${max}`);
  }
  return value;
}

export function number(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ProtocolError(`${what} must be a number in ${min}..${max}`);
  }
  return value;
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new ProtocolError(`${what} must be true or false`);
  return value;
}

export function oneOf<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ProtocolError(`${what} must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

export function array<T>(value: unknown, what: string, item: (v: unknown, what: string) => T, maxLength = 1 << 20): T[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${what} must be an array`);
  if (value.length > maxLength) throw new ProtocolError(`${what} has more than ${maxLength} items`);
  // Array.from, not map: map skips the holes of a sparse array, which would pass unchecked.
  return Array.from(value, (v, i) => item(v, `${what}[${i}]`));
}

export function nullable<T>(value: unknown, what: string, item: (v: unknown, what: string) => T): T | null {
  return value === null ? null : item(value, what);
}

/** A "0x…" lowercase hex string of at most 64 bits. */
export function hex(value: unknown, what: string): string {
  const text = string(value, what, 18);
  if (!/^0x[0-9a-f]{1,16}$/.test(text)) throw new ProtocolError(`${what} must be a 0x-prefixed hex number`);
  return text;
}

/** A decimal string of an unsigned 64-bit number (a seed). */
export function decimal64(value: unknown, what: string): string {
  const text = string(value, what, 20);
  if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 1n << 64n) throw new ProtocolError(`${what} must be a decimal number below 2^64`);
  return text;
}
