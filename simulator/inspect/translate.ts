import type { Task } from '../mm/kernel';
import { permissionString } from '../mm/vm-flags';
import type { Vma } from '../mm/vma';
import { mapsLine, vmaName } from '../proc/maps';
import type { ScenarioState } from '../scenario/state';
import { hex, isLive, taskOf, vmaContaining } from './common';
import { pageOf } from './page-detail';
import { hasFrame } from './page-state';
import { PageState, type AddressTranslation, type PageDetail } from './view-models';

const MAX_ADDRESS = (1n << 64n) - 1n;

/** An address as a user types it: "0x7ffff7dd1000" or "7ffff7dd1000", at most 64 bits. */
export function parseAddress(text: string): bigint | undefined {
  const m = /^\s*(?:0[xX])?([0-9a-fA-F]{1,16})\s*$/.exec(text);
  if (!m) return undefined;
  const value = BigInt(`0x${m[1]}`);
  return value <= MAX_ADDRESS ? value : undefined;
}

/**
 * Where an address leads in each live process that maps it (or in `process`
 * only, which is then reported even when nothing maps the address there).
 */
export function translateAddress(state: ScenarioState, address: bigint, process?: string): AddressTranslation[] {
  const named = process !== undefined ? taskOf(state, process) : undefined;
  if (process !== undefined) {
    if (!named || !isLive(named)) return [{ address: hex(address), process, summary: `${process} is not running` }];
    return [translateIn(state, named, address)];
  }
  const out: AddressTranslation[] = [];
  for (const task of state.kernel.liveTasks()) if (vmaContaining(task, address)) out.push(translateIn(state, task, address));
  return out;
}

function translateIn(state: ScenarioState, task: Task, address: bigint): AddressTranslation {
  const vma = vmaContaining(task, address);
  const where = `${task.name} ${hex(address)} →`;
  if (!vma) return { address: hex(address), process: task.name, summary: `${where} not mapped (no VMA contains it)` };
  const page = pageOf(state.kernel, task, address);
  const physical = page.pfn !== undefined && hasFrame(page.state) ? hex((BigInt(page.pfn) << 12n) | (address & 0xfffn)) : undefined;
  const frame = physical !== undefined ? `, frame ${hex(page.pfn!)} (phys ${physical})` : '';
  const summary = `${where} ${regionLabel(task, vma)} ${permissionString(vma.flags)}, ${shortState(page)}${frame}`;
  return { address: hex(address), process: task.name, mapsLine: mapsLine(task.mm, vma), page, ...(physical ? { physical } : {}), summary };
}

/** The pathname column, or the scenario's region name, or "anonymous". */
function regionLabel(task: Task, vma: Vma): string {
  const name = vmaName(task.mm, vma);
  if (vma.origin.region !== undefined) return name && !name.startsWith('/dev/zero') ? `${vma.origin.region} (${name})` : vma.origin.region;
  return name ?? 'anonymous';
}

/** A page's state in a few words, as Translate Address prints it (also for live pages: simulator/live/translate-live.ts). */
export function shortState(page: Pick<PageDetail, 'state' | 'mapcount' | 'swapSlot'>): string {
  switch (page.state) {
    case PageState.NotPresent:
      return 'not present';
    case PageState.ZeroPage:
      return 'the zero page';
    case PageState.FileClean:
      return 'file page, clean';
    case PageState.FileDirty:
      return 'file page, dirty';
    case PageState.AnonPrivate:
      return 'anonymous private';
    case PageState.AnonShared:
      return `anonymous shared (mapcount ${page.mapcount})`;
    case PageState.Shmem:
      return 'shmem';
    case PageState.Swapped:
      return `swapped out (slot ${page.swapSlot})`;
    case PageState.SwapCache:
      return `swapped out (slot ${page.swapSlot}, in the swap cache)`;
  }
}
