import { describeElf } from '../../simulator/elf/describe';
import type { ElfFile } from '../../simulator/elf/elf-file';
import { ElfError } from '../../simulator/elf/errors';
import { SHT_DYNSYM, SHT_SYMTAB } from '../../simulator/elf/names';
import type { ElfSummary, SymbolTableSummary } from '../../webview/view-models';

/**
 * Everything the view paints first: describeElf without the symbols, which cost half a second
 * for a large binary and are paged in on request instead. The symbol tables are listed (name,
 * count) from their section headers, in the order ElfFile.symbolTables() returns them.
 */
export async function summarizeElf(elf: ElfFile): Promise<ElfSummary> {
  const sections = await elf.sections();
  const { symbolTables: _none, ...description } = await describeElf(elf, { symbols: false });
  const symbolTables: SymbolTableSummary[] = sections
    .filter((s) => s.type === SHT_SYMTAB || s.type === SHT_DYNSYM)
    .map((s) => ({ name: s.name, count: s.entsize ? Number(s.size / s.entsize) : 0 }))
    .sort((a, b) => (a.name === '.dynsym' ? 0 : 1) - (b.name === '.dynsym' ? 0 : 1));
  return {
    ...description,
    fileSize: elf.file.size,
    // An implausible mapping is already a warning of describeElf: no section is shown inside a segment.
    segmentSectionIndices: await elf.segmentSections().catch((error: unknown) => {
      if (error instanceof ElfError) return elf.programHeaders.map((): number[] => []);
      throw error;
    }),
    symbolTables,
  };
}
