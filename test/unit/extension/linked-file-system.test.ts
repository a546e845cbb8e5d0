// ExecFileSystem for the Linked tab: only execve's PT_INTERP lookup gets the placeholder; ld.so's
// library search sees a missing file fail, so that it goes on to its next directory.
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { ExecFileSystem } from '../../../extension/files/exec-file-system';
import type { FileOpener, HostFile } from '../../../extension/files/file-opener';
import { MemoryFileAccess } from '../../../simulator/elf/file-access';

const present = '/lib/x86_64-linux-gnu/libc.so.6';
const opened: string[] = [];
const disposed: string[] = [];
const opener: FileOpener = {
  openProgram: () => Promise.reject(new Error('not used')),
  openInSysroot: (_sysroot, path) => {
    if (path !== present) return Promise.reject(new Error(`${path}: no such file or directory (ENOENT)`));
    opened.push(path);
    return Promise.resolve({ access: new MemoryFileAccess(path, new Uint8Array(8)), path, dispose: () => void disposed.push(path) } satisfies HostFile);
  },
  cpuinfo: () => Promise.resolve(undefined),
};
const program: HostFile = { access: new MemoryFileAccess('/p', new Uint8Array(8)), path: '/p', dispose: () => undefined };

describe('ExecFileSystem for execve and for ld.so', () => {
  it('gives execve a placeholder for a missing interpreter, and says so', async () => {
    const files = new ExecFileSystem(program, {} as vscode.Uri, opener);
    const interp = await files.open('/lib64/ld-linux-x86-64.so.2');
    expect(interp.path).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(files.missingInterpreter?.path).toBe('/lib64/ld-linux-x86-64.so.2');
  });

  it('lets ld.so\'s lookups fail for missing files, without marking the interpreter missing', async () => {
    const files = new ExecFileSystem(program, {} as vscode.Uri, opener);
    const loader = files.forLoader();
    await expect(loader.open('/opt/x/lib/libc.so.6')).rejects.toThrow(/ENOENT/);
    expect(files.missingInterpreter).toBeUndefined();
    expect((await loader.open(present)).path).toBe(present);
    expect(await loader.openProgram('/p')).toBe(program);
    files.dispose();
    expect(disposed).toEqual([present]);
    expect(opened).toEqual([present]);
  });
});
