import type { Kernel, Task } from '../mm/kernel';
import { readPte } from '../mm/memory';
import { PG_DIRTY, PG_SWAPCACHE } from '../mm/page-flags';
import { PTE_DIRTY, PTE_SWAP, x86Pte } from '../mm/pte';
import type { Statement } from '../scenario/ast';
import type { ScenarioRun } from '../scenario/run';
import type { ScenarioState } from '../scenario/state';
import { narrowByRange, resolveTarget } from '../scenario/targets';
import { hex, isLive, taskOf, vmaContaining } from './common';
import { PMD_FILE, PMD_HUGE_ZERO } from '../mm/huge-memory';
import { classifyPte, describeState, hasFrame, mapcountOfPte } from './page-state';
import { PageState, type PageDetail } from './view-models';

/** One page of a task as its PTE and frame show it (no line: that needs the run's records). */
export function pageOf(k: Kernel, task: Task, address: bigint): PageDetail {
  const vpn = Number(address >> 12n);
  const [flags, value] = readPte(task, vpn);
  const state = classifyPte(k, flags, value);
  const mapcount = mapcountOfPte(k, flags, value);
  const page = { address: hex((address >> 12n) << 12n), state, pte: hex(x86Pte(flags, value)) };
  const huge = hugePageNote(task, vpn);
  if (huge) {
    const small = pageOf4K(k, flags, value, state, mapcount, page);
    return { ...small, description: `${small.description}; ${huge}` };
  }
  return pageOf4K(k, flags, value, state, mapcount, page);
}

/** "subpage 3 of a 2 MiB transparent huge page, mapped by one PMD" when a PMD maps the page's 2 MiB. */
function hugePageNote(task: Task, vpn: number): string | undefined {
  const table = task.pt.table(vpn);
  if (!table?.pmd) return undefined;
  const what = table.pmd === PMD_HUGE_ZERO ? 'the huge zero page' : table.pmd === PMD_FILE ? 'a 2 MiB page-cache folio' : 'a 2 MiB transparent huge page';
  return `subpage ${vpn % 512} of ${what}, mapped by one PMD`;
}

function pageOf4K(k: Kernel, flags: number, value: number, state: PageState, mapcount: number, page: { address: string; state: PageState; pte: string }): PageDetail {
  if (flags & PTE_SWAP) return { ...page, description: describeState(state, mapcount, value), swapSlot: value, mapcount };
  if (!hasFrame(state)) return { ...page, description: describeState(state, mapcount) };
  if (state === PageState.ZeroPage) return { ...page, description: describeState(state, mapcount), pfn: value };
  const pageFlags = k.phys.flags[value]!;
  let description = describeState(state, mapcount);
  if (state === PageState.AnonPrivate || state === PageState.AnonShared || state === PageState.Shmem) description += flags & PTE_DIRTY || pageFlags & PG_DIRTY ? ', dirty' : ', clean';
  const slot = k.phys.swapSlot(value);
  if (pageFlags & PG_SWAPCACHE) description += `, still in the swap cache (slot ${slot})`;
  return { ...page, description, pfn: value, mapcount, ...(pageFlags & PG_SWAPCACHE ? { swapSlot: slot } : {}) };
}

/**
 * A page after statement `stepIndex`, with the statement that last changed it,
 * scanning back to the process's creation: a fault on that page by that
 * process, reclaim unmapping it, a fork sharing it, or a munmap, mprotect,
 * madvise or msync over it; otherwise the line of its VMA.
 */
export function pageDetail(run: ScenarioRun, stepIndex: number, process: string, address: bigint): PageDetail | undefined {
  const state = run.stateAfter(stepIndex);
  const task = taskOf(state, process);
  if (!task || !isLive(task)) return undefined;
  const vma = vmaContaining(task, address);
  if (!vma) return undefined;
  const page = pageOf(state.kernel, task, address);
  const line = lastChange(run, stepIndex, state, task, vma.line, address, page.state) ?? vma.line;
  return line !== undefined ? { ...page, line } : page;
}

/** Anonymous pages and swap entries are what fork shares (copy_page_range): a fork changes them in parent and child. */
const FORK_SHARED = new Set<PageState>([PageState.AnonPrivate, PageState.AnonShared, PageState.Swapped, PageState.SwapCache]);

/** System calls that change the PTEs of their range (zap, protection, cleaning, aging, swap-in). */
const RANGE_CALLS = new Set(['munmap', 'mprotect', 'madvise', 'msync']);

/** Whether a munmap/mprotect/madvise/msync statement of this process covered the page (regions resolved as they are now). */
function coveredBy(s: Statement, scenario: ScenarioState, task: Task, address: bigint): boolean {
  if (!RANGE_CALLS.has(s.kind) || !('target' in s) || !('range' in s) || s.process.name !== task.name) return false;
  const range = resolveTarget(scenario, task, s.target);
  if (typeof range === 'string') return false;
  const r = narrowByRange(range, s.range);
  return r.start <= address && address < r.end;
}

function lastChange(run: ScenarioRun, stepIndex: number, scenario: ScenarioState, task: Task, vmaLine: number | undefined, address: bigint, state: PageState): number | undefined {
  const vpn = Number(address >> 12n);
  const pageAddress = (address >> 12n) << 12n;
  for (let i = Math.min(stepIndex, run.steps.length - 1); i >= 0; i--) {
    const step = run.steps[i]!;
    // Before the process, or before its VMA was made as it is now, nothing else applies.
    if (step.line < task.createdAt || (vmaLine !== undefined && step.line < vmaLine)) break;
    if (step.faults.faultedPage(task.name, vpn)) return step.line;
    if (step.reclaim?.some((e) => e.unmapped?.some((m) => m.process === task.name && m.vpn === vpn))) return step.line;
    const s = run.statements[i];
    if (s?.kind === 'fork' && (s.parent.name === task.name || s.child.name === task.name) && FORK_SHARED.has(state)) return step.line;
    if (s && coveredBy(s, scenario, task, pageAddress)) return step.line;
    if (step.line === task.createdAt) break;
  }
  return undefined;
}
