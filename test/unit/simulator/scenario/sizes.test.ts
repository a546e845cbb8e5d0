// Sizes, numbers and addresses of the scenario language.
import { describe, expect, it } from 'vitest';
import { formatKilobytes, formatSize, isPageAligned, parseAddress, parseInteger, parseSize, U64_MAX } from '../../../../simulator/scenario/sizes';

const value = (text: string): bigint => {
  const r = parseSize(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const message = (r: ReturnType<typeof parseSize>): string => (r.ok ? `ok ${r.value}` : r.message);

describe('parseSize', () => {
  it.each([
    ['0', 0n], ['4096', 4096n], ['007', 7n], ['0x1000', 4096n], ['0X1F', 31n], ['0xabcDEF', 0xabcdefn],
    ['1K', 1024n], ['32K', 32768n], ['1M', 1048576n], ['2G', 2n * 1024n ** 3n], ['1P', 4096n], ['5P', 20480n],
    ['0x10P', 65536n], ['0x10K', 16384n], ['0x1M', 1048576n], ['0x1b', 27n], ['0xB', 11n],
    ['4k', 4096n], ['1m', 1048576n], ['1g', 1073741824n], ['2p', 8192n], ['32kB', 32768n],
    ['18446744073709551615', U64_MAX], ['0xffffffffffffffff', U64_MAX], ['0xfffffffffffffP', 0xfffffffffffffn * 4096n],
  ])('%s = %d bytes', (text, bytes) => {
    expect(value(text)).toBe(bytes);
  });

  it.each([
    ['', 'expected a size (a decimal or 0x hex number with an optional suffix K, M, G or P)'],
    ['12X', `bad size '12X': unknown suffix 'X'; expected K, M, G or P`],
    ['12KB', `ok 12288`],
    ['12Ki', `bad size '12Ki': unknown suffix 'Ki'; expected K, M, G or P`],
    ['0x', `bad hex number '0x': no digits after '0x'`],
    ['0xK', `bad hex number '0x': no digits after '0x'`],
    ['0xfg', `ok 16106127360`],
    ['0x1z', `bad hex size '0x1z': 'z' is neither hex digits nor a suffix K, M, G or P`],
    ['0x1_0', `bad hex number '0x1_0': '_' is not a hex digit`],
    ['1_000', `expected a size (a decimal or 0x hex number with an optional suffix K, M, G or P), found '1_000'`],
    ['-4K', `size '-4K' is negative; expected a decimal or 0x hex number with an optional suffix K, M, G or P`],
    ['1.5M', `bad size '1.5M': sizes are whole numbers; expected a decimal or 0x hex number with an optional suffix K, M, G or P`],
    ['rw-', `expected a size (a decimal or 0x hex number with an optional suffix K, M, G or P), found 'rw-'`],
    ['18446744073709551616', `size '18446744073709551616' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`],
    ['0x10000000000000000', `size '0x10000000000000000' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`],
    ['0x40000000000000P', `size '0x40000000000000P' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`],
    ['99999999999999999999999999999999G', `size '99999999999999999999999999999999G' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`],
  ])('%j → %s', (text, expected) => {
    expect(message(parseSize(text))).toBe(expected);
  });
});

describe('parseInteger and parseAddress', () => {
  it('parses decimal and hex without suffix', () => {
    expect(parseInteger('42')).toEqual({ ok: true, value: 42n });
    expect(parseInteger('0x2a')).toEqual({ ok: true, value: 42n });
    expect(parseInteger('0xffffffffffffffff')).toEqual({ ok: true, value: U64_MAX });
  });
  it('rejects suffixes, words and overflow', () => {
    expect(message(parseInteger('4K', 'seed'))).toBe(`expected a seed (decimal or 0x hex) without a size suffix, found '4K'`);
    expect(message(parseInteger('abc', 'seed'))).toBe(`expected a seed, found 'abc'`);
    expect(message(parseInteger('', 'seed'))).toBe(`expected a seed`);
    expect(message(parseInteger('18446744073709551616', 'seed'))).toBe(`seed '18446744073709551616' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`);
  });
  it('parses addresses', () => {
    expect(parseAddress('0x7ffff7fc2000')).toEqual({ ok: true, value: 0x7ffff7fc2000n });
    expect(parseAddress('0XAB')).toEqual({ ok: true, value: 0xabn });
    expect(message(parseAddress('1234'))).toBe(`expected an address (0x followed by hex digits), found '1234'`);
    expect(message(parseAddress('0x'))).toBe(`bad address '0x': no hex digits after '0x'`);
    expect(message(parseAddress('0x10P'))).toBe(`bad address '0x10P': 'P' is not a hex digit`);
    expect(message(parseAddress('0x1ffffffffffffffff'))).toBe(`address '0x1ffffffffffffffff' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`);
  });
});

describe('formatSize', () => {
  it.each([
    [0n, '0'], [1n, '1'], [1023n, '1023'], [1024n, '1K'], [1536n, '1536'], [4096n, '4K'], [32768n, '32K'],
    [1048576n, '1M'], [1048576n + 1024n, '1025K'], [3n * 1024n ** 3n, '3G'], [1024n ** 4n, '1024G'], [-65536n, '-64K'],
  ])('%d → %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
  it('round-trips through parseSize', () => {
    for (const bytes of [0n, 1n, 4095n, 4096n, 12345n * 1024n, 7n * 1024n ** 2n, U64_MAX, U64_MAX - (U64_MAX % 1024n)]) {
      expect(value(formatSize(bytes))).toBe(bytes);
    }
  });
  it('formats kilobytes as smaps does, and checks alignment', () => {
    expect(formatKilobytes(32768n)).toBe('32 kB');
    expect(isPageAligned(8192n)).toBe(true);
    expect(isPageAligned(100n)).toBe(false);
  });
});
