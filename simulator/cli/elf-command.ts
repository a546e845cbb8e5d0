import { describeElf, type ElfDescription } from '../elf/describe';
import { ElfFile } from '../elf/elf-file';
import { ElfError } from '../elf/errors';
import { parseArguments, UsageError } from './arguments';
import { writeElfText } from './elf-text';
import type { Output } from './main';
import { NodeFileAccess } from './node-file-access';
import { coreSummaryText, readCoreFile } from './core-command';
import { ET_CORE } from '../elf/header';
import type { CoreDump } from '../live/core';

/** Symbols per JSON.stringify call when streaming a symbol table. */
const SYMBOL_CHUNK = 8192;

/** `asx elf FILE [--json]`: what `readelf -hlSsdnW FILE` shows, as text or one JSON document. */
export async function runElfCommand(argv: readonly string[], out: Output, err?: Output): Promise<number> {
  const args = parseArguments(argv, [], ['--json']);
  if (args.positional.length !== 1) throw new UsageError(args.positional.length ? `elf takes one FILE, got ${args.positional.length}` : 'elf needs a FILE');
  const path = args.positional[0] as string;
  const file = NodeFileAccess.open(path);
  let description: ElfDescription;
  try {
    description = await describeElf(await ElfFile.open(file));
  } catch (error) {
    if (error instanceof ElfError) error.message = `${path}: ${error.message}`;
    throw error;
  }
  // A core file: also the address space it holds, its registers, command line and signal.
  const core = description.header.type === ET_CORE ? await readCoreFile(path) : undefined;
  if (args.flags.has('--json')) writeElfJson(description, out, core);
  else {
    writeElfText(description, out);
    if (core) out.write(coreSummaryText(core));
  }
  // readelf's way: what could be read is shown (exit 0), each problem passed over is a warning on stderr.
  for (const w of description.warnings) err?.write(`asx: ${path}: warning: ${w.message}\n`);
  return 0;
}

/**
 * Writes the description as one JSON document. The symbol arrays are
 * serialized in chunks so that no single string holds the whole document.
 */
export function writeElfJson(description: ElfDescription, out: Output, core?: CoreDump): void {
  const { symbolTables, ...rest } = description;
  const head = JSON.stringify(core ? { ...rest, core } : rest);
  out.write(`${head.slice(0, -1)},"symbolTables":[`);
  symbolTables.forEach((table, t) => {
    out.write(`${t ? ',' : ''}{"name":${JSON.stringify(table.name)},"count":${table.count},"symbols":[`);
    const symbols = table.symbols;
    for (let i = 0; i < symbols.length; i += SYMBOL_CHUNK) {
      const chunk = JSON.stringify(symbols.slice(i, i + SYMBOL_CHUNK));
      out.write(i ? `,${chunk.slice(1, -1)}` : chunk.slice(1, -1));
    }
    out.write(']}');
  });
  out.write(']}\n');
}
