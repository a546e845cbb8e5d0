import type { Kernel, Task } from '../mm/kernel';
import type { Vma } from '../mm/vma';
import type { ScenarioState } from '../scenario/state';
import type { Hex } from './view-models';

/** The view models' address format: `0x`-prefixed lowercase hex. */
export const hex = (v: bigint | number): Hex => `0x${v.toString(16)}`;

/** Pss is kept in fixed point (<< 12, PSS_SHIFT), bytes are shown in kB: (pss >> 12) >> 10. */
export const pssToKb = (pss: bigint): number => Number(pss >> 22n);
export const bytesToKb = (bytes: number): number => Math.floor(bytes / 1024);

/** A process by name, running or not (exited and killed processes keep their name). */
export function taskOf(state: ScenarioState, name: string): Task | undefined {
  return state.kernel.tasks.get(name);
}

export const isLive = (task: Task): boolean => !task.exited && !task.death;

/** The rows of /proc/PID/maps: the VMAs in address order, then the gate VMA ([vsyscall]). */
export function regionsOf(task: Task): Vma[] {
  if (!isLive(task)) return [];
  const vmas = [...task.mm.vmaList];
  if (task.mm.gateVma) vmas.push(task.mm.gateVma);
  return vmas;
}

/** The VMA (or gate VMA) that contains an address. */
export function vmaContaining(task: Task, address: bigint): Vma | undefined {
  const vma = task.mm.vmaAt(address);
  if (vma) return vma;
  const gate = task.mm.gateVma;
  return gate && gate.start <= address && address < gate.end ? gate : undefined;
}

/** Frames that hold some live task's page tables (they are PG_KERNEL like any kernel page). */
export function pageTableFrames(k: Kernel): Set<number> {
  const frames = new Set<number>();
  for (const task of k.tasks.values()) for (const pfn of task.pt.tableFrames()) frames.add(pfn);
  return frames;
}

/** "½", "⅓", "¼", then "1/N": a page's share of the Pss. */
export function shareText(mapcount: number): string {
  return mapcount === 2 ? '½' : mapcount === 3 ? '⅓' : mapcount === 4 ? '¼' : `1/${mapcount}`;
}

/** The #PF error code bits (asm/trap_pf.h), lowest first: "0x6 (WRITE|USER)". */
export function errorCodeText(code: number): string {
  const names: [number, string][] = [[0x1, 'PROT'], [0x2, 'WRITE'], [0x4, 'USER'], [0x8, 'RSVD'], [0x10, 'INSTR'], [0x20, 'PK'], [0x40, 'SHSTK'], [0x8000, 'SGX']];
  const set = names.filter(([bit]) => code & bit).map(([, name]) => name);
  return set.length ? `${hex(code)} (${set.join('|')})` : hex(code);
}
