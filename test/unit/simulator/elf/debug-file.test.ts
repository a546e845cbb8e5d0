// Separate debug files (issue 16 §5): what marks one, its build ID, and finding the binary it belongs
// to by build ID (test/fixtures/elf/damaged/pie.debug is `objcopy --only-keep-debug` of bin/pie).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binaryCandidates, buildIdOf, findBinaryOf, separateDebugFile } from '../../../../simulator/elf/debug-file';
import { ElfFile } from '../../../../simulator/elf/elf-file';
import { MemoryFileAccess } from '../../../../simulator/elf/file-access';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const PIE_ID = 'e3ffbb5a4ab58c5001020666b67e5b2ba20736d0';
const elfOf = (path: string) => ElfFile.open(new MemoryFileAccess(path, new Uint8Array(readFileSync(join(repo, path)))));

describe('separate debug files', () => {
  it('tells a debug file from its binary, and reads the build ID both share', async () => {
    const debug = await elfOf('test/fixtures/elf/damaged/pie.debug');
    const binary = await elfOf('test/fixtures/elf/bin/pie');
    expect(await separateDebugFile(debug)).toEqual({ buildId: PIE_ID });
    expect(await separateDebugFile(binary)).toBeUndefined();
    expect(await buildIdOf(binary)).toBe(PIE_ID);
  });

  it('looks for the binary beside the debug file, under the by-path tree and at the build-ID link', () => {
    expect(binaryCandidates('/home/u/prog.debug', 'abcdef')).toEqual(['/home/u/prog', '/usr/lib/debug/.build-id/ab/cdef']);
    expect(binaryCandidates('/usr/lib/debug/usr/bin/ls.debug', 'abcdef')).toEqual(['/usr/bin/ls', '/usr/lib/debug/usr/bin/ls', '/usr/lib/debug/.build-id/ab/cdef']);
    expect(binaryCandidates('/usr/lib/debug/.build-id/ab/cdef.debug', 'abcdef')).toEqual(['/usr/lib/debug/.build-id/ab/cdef']);
    expect(binaryCandidates('/tmp/x', undefined)).toEqual([]);
  });

  it('takes the first candidate with the same build ID, passing over other files and debug files', async () => {
    const files: Record<string, string> = {
      '/usr/bin/pie': 'test/fixtures/elf/bin/nopie', // another build ID
      '/usr/lib/debug/usr/bin/pie': 'test/fixtures/elf/damaged/pie.debug', // a debug file itself
      [`/usr/lib/debug/.build-id/e3/${PIE_ID.slice(2)}`]: 'test/fixtures/elf/bin/pie',
    };
    const disposed: string[] = [];
    const open = async (path: string) => (files[path] ? { elf: await elfOf(files[path]!), dispose: () => disposed.push(path) } : undefined);
    expect(await findBinaryOf('/usr/lib/debug/usr/bin/pie.debug', { buildId: PIE_ID }, open)).toBe(`/usr/lib/debug/.build-id/e3/${PIE_ID.slice(2)}`);
    expect(disposed).toEqual(Object.keys(files));
    expect(await findBinaryOf('/nowhere/other.debug', { buildId: 'ff00' }, open)).toBeUndefined();
  });
});
