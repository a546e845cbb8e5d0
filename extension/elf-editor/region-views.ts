import type { ExecResult } from '../../simulator/loader/binfmt-elf';
import { mapsLine, vmaName } from '../../simulator/proc/maps';
import type { Vma, VmaOrigin } from '../../simulator/mm/vma';
import type { RegionOwner, RegionView } from '../../webview/view-models';

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
  const vmas = mm.gateVma ? [...mm.vmaList, mm.gateVma] : [...mm.vmaList];
  return vmas.filter(keep).map((vma): RegionView => {
    const line = mapsLine(mm, vma);
    const [range = '', perms = '', offset = '', device = '', inode = ''] = line.split(' ');
    const owner = ownerOf(vma.origin.kind);
    const program = owner === 'program';
    return {
      start: hex(vma.start),
      end: hex(vma.end),
      line,
      range,
      perms,
      offset,
      device,
      inode,
      name: vmaName(mm, vma) ?? '',
      owner,
      description: vma.origin.description,
      linkStart: program ? hex(vma.start - loadBias) : null,
      linkEnd: program ? hex(vma.end - loadBias) : null,
    };
  });
}
