// The lookup PT(VA, access) against a table worked out by hand from the notes.
import { describe, expect, it } from 'vitest';
import { walk, type Access } from '../../../../simulator/toy6/machine';

// One page table at cr3 = 8 (frame 1). Each entry: frame bits, then U W P.
const CR3 = 8;
const memory = new Uint8Array(64);
memory[8] = 0b011_101; //  page 0 -> frame 3, U=1 W=0 P=1: a read-only user page
memory[9] = 0b100_111; //  page 1 -> frame 4, U=1 W=1 P=1: a user page
memory[10] = 0b101_011; // page 2 -> frame 5, U=0 W=1 P=1: a kernel page
memory[11] = 0b110_001; // page 3 -> frame 6, U=0 W=0 P=1: a read-only kernel page
memory[12] = 0b111_110; // page 4 -> frame 7, U=1 W=1 P=0: not present
// pages 5-7: PTE 0, not present

const RU: Access = { kind: 'read', privilege: 'user' };
const WU: Access = { kind: 'write', privilege: 'user' };
const RK: Access = { kind: 'read', privilege: 'kernel' };
const WK: Access = { kind: 'write', privilege: 'kernel' };

// [VA, access, PA or fault] — worked by hand: PA = frame * 8 + (VA & 7).
const TABLE: [number, Access, number | 'P' | 'U' | 'W'][] = [
  [5, RU, 29], // page 0, offset 5: 0b011 101
  [5, WU, 'W'],
  [5, RK, 29],
  [5, WK, 'W'], // the kernel too honours W
  [13, RU, 37], // page 1, offset 5: 0b100 101
  [13, WU, 37],
  [8, WK, 32],
  [18, RU, 'U'], // page 2, offset 2
  [18, WU, 'U'],
  [18, RK, 42], // 0b101 010
  [18, WK, 42],
  [31, RU, 'U'], // page 3, offset 7: U fails before W
  [31, WU, 'U'],
  [31, RK, 55], // 0b110 111
  [31, WK, 'W'],
  [32, RU, 'P'], // page 4: P fails first whatever U and W say
  [32, WU, 'P'],
  [39, RK, 'P'],
  [47, WK, 'P'], // page 5: PTE 0
  [63, RU, 'P'], // page 7
];

describe('toy6 walk', () => {
  for (const [va, access, want] of TABLE) {
    it(`${access.kind} ${access.privilege} of VA ${va} -> ${typeof want === 'number' ? `PA ${want}` : `fault ${want}`}`, () => {
      const w = walk(memory, CR3, va, access);
      if (typeof want === 'number') {
        expect(w.fault).toBeUndefined();
        expect(w.pa).toBe(want);
      } else {
        expect(w.fault).toBe(want);
      }
      expect(w.pteAddress).toBe(CR3 + (va >> 3));
    });
  }

  it('reads the PTE from the table of the given cr3: two tables, two translations of one VA', () => {
    const m = new Uint8Array(64);
    m[16] = 0b010_111; // table at 16: page 0 -> frame 2
    m[24] = 0b101_111; // table at 24: page 0 -> frame 5
    expect(walk(m, 16, 3, RU).pa).toBe(19);
    expect(walk(m, 24, 3, RU).pa).toBe(43);
  });
});
