/** The two-letter VmFlags mnemonics by bit (fs/proc/task_mmu.c show_smap_vma_flags). */
const MNEMONICS: Readonly<Record<number, string>> = {
  0: 'rd', 1: 'wr', 2: 'ex', 3: 'sh', 4: 'mr', 5: 'mw', 6: 'me', 7: 'ms', 8: 'gd', 9: 'um', 10: 'pf',
  12: 'uw', 13: 'lo', 14: 'io', 15: 'sr', 16: 'rr', 17: 'dc', 18: 'de', 19: 'lf', 20: 'ac', 21: 'nr',
  22: 'ht', 23: 'sf', 24: 'ar', 25: 'wf', 26: 'dd', 27: 'sd', 28: 'mm', 29: 'hg', 30: 'nh', 31: 'mg',
};

/** "rd wr mr mw me ac " — each set bit's mnemonic followed by a space, in bit order. */
export function vmFlagMnemonics(flags: number): string {
  let out = '';
  for (let bit = 0; bit < 32; bit++) if ((flags >>> bit) & 1 && MNEMONICS[bit]) out += `${MNEMONICS[bit]} `;
  return out;
}
