// Definitions of names, words and hex addresses under the cursor (pure helpers of the language support).
import { describe, expect, it } from 'vitest';
import { addressAt, addressIn } from '../../../extension/scenario/language/address-at';
import { definitionFor, definitionsOfText, regionNames, wordAt } from '../../../extension/scenario/language/scenario-symbols';

describe('scenario definitions', () => {
  const text = 'P = exec hello/hello  # the program\n  A=mmap P 64K rw- private anon\nQ = fork P\nexit Q\nQ = fork P\n';
  it('finds exec, fork and mmap definitions with their positions', () => {
    const defs = definitionsOfText(text);
    expect(defs.map((d) => [d.name, d.kind, d.line, d.start, d.end, d.process])).toEqual([
      ['P', 'process', 1, 0, 1, undefined],
      ['A', 'region', 2, 2, 3, 'P'],
      ['Q', 'process', 3, 0, 1, 'P'],
      ['Q', 'process', 5, 0, 1, 'P'],
    ]);
    expect(defs[0]!.text).toBe('P = exec hello/hello');
  });

  it('resolves a use to the latest definition at or above it', () => {
    const defs = definitionsOfText(text);
    expect(definitionFor(defs, 'Q', 4)?.line).toBe(3);
    expect(definitionFor(defs, 'Q', 6)?.line).toBe(5);
    expect(definitionFor(defs, 'Q', 2)).toBeUndefined();
    expect(regionNames(defs, 'Q')).toEqual(['A']);
  });

  it('finds the word at a character', () => {
    expect(wordAt('read P buf 0x1000', 8)).toEqual({ text: 'buf', start: 7, end: 10 });
    expect(wordAt('read P buf', 10)).toEqual({ text: 'buf', start: 7, end: 10 });
    expect(wordAt('expect P A Rss=4K', 12)).toEqual({ text: 'Rss', start: 11, end: 14 });
    expect(wordAt('read P A # buf', 12)).toBeUndefined();
    expect(wordAt('   ', 1)).toBeUndefined();
  });
});

describe('hex addresses in any text', () => {
  it('finds 0x addresses and bare 12 to 16 digit hex, as gdb and maps print them', () => {
    expect(addressAt('rip 0x7ffff7dd1000 in main', 8)).toMatchObject({ value: 0x7ffff7dd1000n, start: 4, end: 18 });
    expect(addressAt('7ffff7dd1000-7ffff7dd3000 r-xp 00000000 08:01 1', 3)).toMatchObject({ value: 0x7ffff7dd1000n, start: 0, end: 12 });
    expect(addressAt('7ffff7dd1000-7ffff7dd3000 r-xp', 20)).toMatchObject({ value: 0x7ffff7dd3000n, start: 13 });
    expect(addressAt('pid 12345 exited', 6)).toBeUndefined();
    expect(addressAt('x 0x12345678901234567 y', 5)).toBeUndefined();
    expect(addressAt('ffffffffff600000', 16)).toMatchObject({ value: 0xffffffffff600000n });
  });

  it('takes a selection that is one address', () => {
    expect(addressIn('  0x1000 ')).toMatchObject({ value: 0x1000n, start: 2, end: 8 });
    expect(addressIn('deadbeef')).toMatchObject({ value: 0xdeadbeefn });
    expect(addressIn('0x1000 0x2000')).toBeUndefined();
    expect(addressIn('hello')).toBeUndefined();
  });
});
