import type { Kernel, Task } from '../mm/kernel';
import { pteMapsFolio } from '../mm/memory';
import { PG_ANON, PG_DIRTY, PG_SWAPBACKED } from '../mm/page-flags';
import { PTE_DIRTY, PTE_SPECIAL, PTRS_PER_TABLE } from '../mm/pte';
import type { Vma } from '../mm/vma';
import { renderSmap } from '../proc/smaps';
import type { ScenarioState } from '../scenario/state';
import { hex, regionsOf, shareText, taskOf } from './common';
import type { PssShare, RegionSmaps, SmapsField } from './view-models';

/**
 * One VMA's smaps, taken from the very text `show smaps` prints (renderSmap),
 * so the panel can never disagree with it, plus the per-page Pss explainer.
 */
export function regionSmaps(state: ScenarioState, process: string, regionIndex: number, limit = 512): RegionSmaps | undefined {
  const task = taskOf(state, process);
  const vma = task ? regionsOf(task)[regionIndex] : undefined;
  if (!task || !vma) return undefined;
  const [header = '', ...lines] = renderSmap(state.kernel, task, vma).trimEnd().split('\n');
  const fields: SmapsField[] = [];
  let vmFlags = '';
  for (const line of lines) {
    if (line.startsWith('VmFlags:')) vmFlags = line.slice('VmFlags:'.length).trim();
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (m) fields.push({ name: m[1]!, kb: Number(m[2]) });
  }
  const { pss, residentPages, zeroPages } = pssShares(state.kernel, task, vma, limit);
  return { header, fields, vmFlags, pss, residentPages, zeroPages };
}

/** smaps_account's Pss rule for one page, in words. */
export function pssExplanation(mapcount: number, refcount: number): string {
  // smaps_account: refcount 1 or mapcount < 2 is private, with the whole page.
  if (refcount === 1 || mapcount < 2) return `all 4 kB: mapcount ${mapcount}`;
  return `this page adds ${shareText(mapcount)} of 4 kB: mapcount ${mapcount}`;
}

/** The resident pages of a VMA in address order with their Pss share (the zero page listed, but counting nothing). */
function pssShares(k: Kernel, task: Task, vma: Vma, limit: number): { pss: PssShare[]; residentPages: number; zeroPages: number } {
  const pss: PssShare[] = [];
  let residentPages = 0;
  let zeroPages = 0;
  const startVpn = Number(vma.start >> 12n);
  const endVpn = Number(vma.end >> 12n);
  for (let vpn = startVpn; vpn < endVpn; ) {
    const key = Math.floor(vpn / PTRS_PER_TABLE);
    const tableEnd = Math.min((key + 1) * PTRS_PER_TABLE, endVpn);
    const table = task.pt.pteTables.get(key);
    for (let v = vpn; table?.used && v < tableEnd; v++) {
      const flags = table.flags[v % PTRS_PER_TABLE]!;
      const pfn = table.value[v % PTRS_PER_TABLE]!;
      const zero = (flags & PTE_SPECIAL) !== 0 && pfn === k.phys.zeroPfn;
      if (!zero && !pteMapsFolio(flags)) continue;
      if (zero) zeroPages++;
      else residentPages++;
      if (pss.length >= limit) continue;
      const address = hex(BigInt(v) << 12n);
      if (zero) {
        pss.push({ address, pfn, mapcount: 0, kind: 'zero', dirty: false, explanation: 'the zero page is not counted in Rss/Pss' });
        continue;
      }
      const pageFlags = k.phys.flags[pfn]!;
      const mapcount = k.phys.mapcount[pfn]!;
      const kind = pageFlags & PG_ANON ? 'anon' : pageFlags & PG_SWAPBACKED ? 'shmem' : 'file';
      const dirty = (flags & PTE_DIRTY) !== 0 || (pageFlags & PG_DIRTY) !== 0;
      pss.push({ address, pfn, mapcount, kind, dirty, explanation: pssExplanation(mapcount, k.phys.refcount[pfn]!) });
    }
    vpn = tableEnd;
  }
  return { pss, residentPages, zeroPages };
}
