// The folder the in-host and e2e suites open: copies of the ELF fixtures plus a few odd files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = ['pie', 'static-pie', 'execlib.so', 'nopie', 'static'];
/** A PIE built with its symbol table (gcc -O2 -fPIE -pie, not stripped). */
export const SYMBOLS_PROGRAM = 'hello';

export function prepareWorkspace(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'asx-workspace-'));
  for (const name of FIXTURES) copyFileSync(join(root, 'test/fixtures/elf/bin', name), join(dir, name));
  // The fixtures are stripped; this one keeps its .symtab (main, …) for the symbol links.
  execFileSync(process.env.CC ?? 'gcc', ['-O2', '-fPIE', '-pie', '-o', join(dir, SYMBOLS_PROGRAM), join(root, 'test/fixtures/elf/src/hello.c')]);
  writeFileSync(join(dir, 'not-elf.txt'), 'plain text, not an ELF file\n');
  // The example scenarios, with the program and the data file they map (paths relative to them).
  cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true, filter: (source) => !source.endsWith('.sh') });
  return dir;
}
