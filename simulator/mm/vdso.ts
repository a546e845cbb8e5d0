// Faults in the vDSO and vvar mappings (arch/x86/entry/vdso/vma.c, mm/memory.c).
//
// [vdso] is a special mapping whose ->fault hands out the pages of the kernel's vDSO image
// (vdso_fault: vmf->page = virt_to_page(image + offset)): kernel pages, the same for every
// process, mapped like file pages (RssFile, Anonymous 0, mapcount per mapping, so Shared_Clean
// once two processes read one), with no fault-around (no ->map_pages) and not copied by fork.
// [vvar] and [vvar_vclock] are VM_PFNMAP: their PTEs map no struct page and count nowhere.
import type { FaultOutcome } from './fault';
import type { Kernel, Task } from './kernel';
import { basePteFlags, mapFolio, writePte } from './memory';
import { OWNER_KERNEL } from './physical-memory';
import { PTE_SPECIAL } from './pte';
import { OutOfMemory } from './kernel';
import { PAGE_SHIFT, type Vma } from './vma';

const VDSO_FAULT: FaultOutcome = { kind: 'file', mapped: 1, explanation: 'a page of the vDSO: the kernel\'s own page, shared by every process that reads it, is mapped (no fault-around)' };
const VVAR_FAULT: FaultOutcome = { kind: 'file', mapped: 1, explanation: 'a vvar page: the kernel\'s data page is mapped by PFN (VM_PFNMAP), counted in no Rss' };

/**
 * The vvar pages vvar_fault has no page for (lib/vdso/datastore.c, Linux 6.14+): [vvar] is the time data,
 * the time namespace page (only inside a time namespace), the getrandom state and the arch data (none on
 * x86-64); checked on Linux 6.18, where a load of each missing page is SIGBUS.
 */
const VVAR_MISSING: readonly (string | undefined)[] = [undefined, 'the time namespace page, and the process is in no time namespace', undefined, 'the arch data page, which x86-64 does not have'];
/**
 * [vvar_vclock] (vvar_vclock_fault): the kvm-clock page, mapped as on a KVM guest whose kvm-clock
 * registered its vDSO clock mode (the machine this was checked on), and the Hyper-V TSC page, missing.
 */
const VVAR_VCLOCK_MISSING: readonly (string | undefined)[] = [undefined, 'the Hyper-V TSC page, and the clock is not Hyper-V\'s'];

/** special_mapping_fault / vvar_fault for a not-present page of [vdso], [vvar] or [vvar_vclock]; undefined for other VMAs. */
export function specialMappingFault(k: Kernel, task: Task, vma: Vma, vpn: number): FaultOutcome | undefined {
  if (vma.special === '[vdso]') {
    const index = vpn - Number(vma.start >> PAGE_SHIFT);
    mapFolio(k, task, vpn, vdsoPage(k, index), basePteFlags(vma));
    return VDSO_FAULT;
  }
  if (vma.special === '[vvar]' || vma.special === '[vvar_vclock]') {
    const index = vpn - Number(vma.start >> PAGE_SHIFT);
    const missing = vma.special === '[vvar]' ? VVAR_MISSING[index] : VVAR_VCLOCK_MISSING[index];
    if (missing) return { kind: 'sigbus', mapped: 0, signal: { signal: 'SIGBUS', code: 'BUS_ADRERR' }, explanation: `page ${index} of ${vma.special}: ${missing}, so vvar_fault returns VM_FAULT_SIGBUS` };
    writePte(k, task, vpn, basePteFlags(vma) | PTE_SPECIAL, 0);
    return VVAR_FAULT;
  }
  return undefined;
}

/** The frame of page `index` of the vDSO image: allocated once, held by the kernel for good. */
function vdsoPage(k: Kernel, index: number): number {
  const known = k.vdsoPages[index];
  if (known !== undefined && known >= 0) return known;
  const pfn = k.phys.allocate(OWNER_KERNEL, -1, index);
  if (pfn === undefined) throw new OutOfMemory();
  const pages = [...k.vdsoPages];
  while (pages.length < index) pages.push(-1);
  pages[index] = pfn;
  k.vdsoPages = pages;
  return pfn;
}
