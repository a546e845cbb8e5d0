// The `# Pss:` lines of asx smaps --explain, after each VMA's smaps block.
import type { LivePssGroup, LiveVma } from './types';

const KIND_NAMES: Readonly<Record<LivePssGroup['kind'], string>> = { anon: 'anonymous', file: 'file', shmem: 'shmem', swap: 'swapped' };

const kbText = (bytes: number): string => {
  const kb = bytes / 1024;
  return Number.isInteger(kb) ? `${kb} kB` : `${kb.toFixed(2)} kB`;
};

/** "4 kB", "1/3 of 4 kB" for a page's share at a mapcount. */
const shareText = (mapcount: number): string => (mapcount <= 1 ? '4 kB' : `1/${mapcount} of 4 kB`);

/** One `# Pss:` line per group and the `# Pss sum:` line, each ending in "\n" (empty without an explainer). */
export function explainLines(vma: LiveVma): string {
  const e = vma.explain;
  if (!e) return '';
  let out = '';
  for (const g of e.groups) {
    const pages = `${g.pages} ${KIND_NAMES[g.kind]} page${g.pages === 1 ? '' : 's'}`;
    if (g.kind === 'swap') out += `# Pss: ${pages}: ${kbText(g.pssBytes)} toward SwapPss, not Pss (swap counts are not exported: shown as unshared)\n`;
    else if (g.mapcount === 0) out += `# Pss: ${pages}, mapcount unknown: ${kbText(g.pssBytes)} (what smaps' Pss leaves)\n`;
    else out += `# Pss: ${pages}, mapcount ${g.mapcount}: ${shareText(g.mapcount)} each = ${kbText(g.pssBytes)}\n`;
  }
  const kernel = e.kernelPssKb !== undefined ? `; smaps says ${e.kernelPssKb} kB` : '';
  out += `# Pss sum: ${e.pssKb} kB (${e.exact ? 'exact: every mapcount from /proc/kpagecount' : 'not exact'}${kernel})\n`;
  for (const note of e.notes) out += `# note: ${note}\n`;
  return out;
}
