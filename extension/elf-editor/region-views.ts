import type { ExecResult } from '../../simulator/loader/binfmt-elf';
import type { Vma, VmaOrigin } from '../../simulator/mm/vma';
import type { RegionOwner, RegionView } from '../../webview/view-models';
import { mapsColumns, mapsOrder } from './maps-columns';

/** Who put a region there; kinds the view does not know yet count as anonymous memory. */
function ownerOf(kind: VmaOrigin['kind']): RegionOwner {
  switch (kind) {
    case 'segment':
    case 'bss':
      return 'program';
    case 'interpreter-segment':
    case 'interpreter-bss':
      return 'interpreter';
    case 'stack':
      return 'stack';
    case 'vdso':
    case 'vsyscall':
      return 'kernel';
    default:
      return 'anonymous';
  }
}

const hex = (v: bigint) => '0x' + v.toString(16);

/** The VMAs of an exec layout in maps order (the gate VMA last), each with its maps line split into columns. */
export function regionViews(result: ExecResult, keep: (vma: Vma) => boolean = () => true): RegionView[] {
  const { mm, loadBias } = result;
  return mapsOrder(mm).filter(keep).map((vma): RegionView => {
    const owner = ownerOf(vma.origin.kind);
    const program = owner === 'program';
    return {
      ...mapsColumns(mm, vma),
      owner,
      description: vma.origin.description,
      linkStart: program ? hex(vma.start - loadBias) : null,
      linkEnd: program ? hex(vma.end - loadBias) : null,
    };
  });
}
