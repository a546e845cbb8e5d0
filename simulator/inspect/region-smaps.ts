import type { Kernel, Task } from '../mm/kernel';
import { pteMapsFolio } from '../mm/memory';
import { PG_ANON, PG_DIRTY, PG_SWAPBACKED } from '../mm/page-flags';
import { PTE_DIRTY, PTE_SPECIAL, PTRS_PER_TABLE } from '../mm/pte';
import type { Vma } from '../mm/vma';
import { renderSmap } from '../proc/smaps';
import type { ScenarioState } from '../scenario/state';
import { hex, regionsOf, shareText, taskOf } from './common';
import { countsAsPrivate, pageShare } from './pss';
import type { PssGroup, PssShare, RegionSmaps, SmapsField } from './view-models';

/** The explainer's pages in the panel: the groups account for all of them. */
export const PSS_PAGES_LISTED = 16;

const KIND_WORDS = { anon: 'anonymous', file: 'file', shmem: 'shmem' } as const;

/**
 * One VMA's smaps, taken from the very text `show smaps` prints (renderSmap),
 * so the panel can never disagree with it, plus the per-page Pss explainer.
 */
export function regionSmaps(state: ScenarioState, process: string, regionIndex: number, limit = PSS_PAGES_LISTED): RegionSmaps | undefined {
  const task = taskOf(state, process);
  const vma = task ? regionsOf(task)[regionIndex] : undefined;
  if (!task || !vma) return undefined;
  const [header = '', ...lines] = renderSmap(state.kernel, task, vma).trimEnd().split('\n');
  const fields: SmapsField[] = [];
  let vmFlags = '';
  for (const line of lines) {
    if (line.startsWith('VmFlags:')) vmFlags = line.slice('VmFlags:'.length).trim();
    // Every "Name: N kB" line, and the ones without a unit (THPeligible, ProtectionKey), in show_smap's order.
    const m = /^(\w+):\s+(\d+)( kB)?$/.exec(line);
    if (m) fields.push(m[3] ? { name: m[1]!, kb: Number(m[2]) } : { name: m[1]!, kb: Number(m[2]), plain: true });
  }
  const { pss, pssGroups, residentPages, zeroPages } = pssShares(state.kernel, task, vma, limit);
  return { header, fields, vmFlags, pss, pssGroups, residentPages, zeroPages };
}

/** smaps_account's Pss rule for one page, in words. */
export function pssExplanation(mapcount: number, refcount: number): string {
  if (countsAsPrivate(mapcount, refcount)) return `all 4 kB: mapcount ${mapcount}`;
  return `this page adds ${shareText(mapcount)} of 4 kB: mapcount ${mapcount}`;
}

function groupExplanation(kind: PssGroup['kind'], mapcount: number, isPrivate: boolean, pages: number, pssKb: number): string {
  const what = `${pages} ${KIND_WORDS[kind]} page${pages === 1 ? '' : 's'}, mapcount ${mapcount}`;
  const kb = `${Number.isInteger(pssKb) ? pssKb : pssKb.toFixed(2)} kB`;
  return isPrivate ? `${what}: all 4 kB each = ${kb}` : `${what}: ${shareText(mapcount)} of 4 kB each = ${kb}`;
}

/** The groups in order: private before shared, then by kind and mapcount. */
function pssGroupsOf(counts: Map<string, number>): PssGroup[] {
  const groups = [...counts].map(([key, pages]) => {
    const [kind, count, priv] = key.split(':') as [PssGroup['kind'], string, string];
    const mapcount = Number(count);
    const isPrivate = priv === '1';
    // A private page's share is the whole page whatever its refcount: pageShare(mapcount, 1).
    const pssKb = (pages * pageShare(mapcount, isPrivate ? 1 : 2)) / 2 ** 22;
    return { kind, mapcount, private: isPrivate, pages, pssKb, explanation: groupExplanation(kind, mapcount, isPrivate, pages, pssKb) };
  });
  const kindOrder = Object.keys(KIND_WORDS);
  return groups.sort((a, b) => Number(b.private) - Number(a.private) || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.mapcount - b.mapcount);
}

/** The resident pages of a VMA in address order with their Pss share (the zero page listed, but counting nothing), and all of them grouped. */
function pssShares(k: Kernel, task: Task, vma: Vma, limit: number): { pss: PssShare[]; pssGroups: PssGroup[]; residentPages: number; zeroPages: number } {
  const pss: PssShare[] = [];
  const groups = new Map<string, number>();
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
      if (zero) {
        zeroPages++;
        if (pss.length < limit) pss.push({ address: hex(BigInt(v) << 12n), pfn, mapcount: 0, kind: 'zero', dirty: false, explanation: 'the zero page is not counted in Rss/Pss' });
        continue;
      }
      residentPages++;
      const pageFlags = k.phys.flags[pfn]!;
      const mapcount = k.phys.mapcount.get(pfn);
      const refcount = k.phys.refcount.get(pfn);
      const kind = pageFlags & PG_ANON ? 'anon' : pageFlags & PG_SWAPBACKED ? 'shmem' : 'file';
      const key = `${kind}:${mapcount}:${countsAsPrivate(mapcount, refcount) ? 1 : 0}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
      if (pss.length >= limit) continue;
      const dirty = (flags & PTE_DIRTY) !== 0 || (pageFlags & PG_DIRTY) !== 0;
      pss.push({ address: hex(BigInt(v) << 12n), pfn, mapcount, kind, dirty, explanation: pssExplanation(mapcount, refcount) });
    }
    vpn = tableEnd;
  }
  return { pss, pssGroups: pssGroupsOf(groups), residentPages, zeroPages };
}
