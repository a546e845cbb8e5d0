// The web host's file opener (workspace.fs) refuses what Linux refuses before any read: a FIFO,
// socket or device is FileType.Unknown there, and reading one would wait for a writer.
import { describe, expect, it, vi } from 'vitest';

const types = new Map<string, number>();
vi.mock('vscode', () => ({
  FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
  workspace: {
    fs: {
      stat: (uri: { path: string }) => Promise.resolve({ type: types.get(uri.path) ?? 1, size: 100 }),
      readFile: () => Promise.reject(new Error('read must not happen')),
    },
  },
}));

const { WorkspaceFileAccess } = await import('../../../extension/files/workspace-file-access');
const uri = (path: string) => ({ scheme: 'file', path, fsPath: path, toString: () => `file://${path}` }) as never;

describe('WorkspaceFileAccess.open', () => {
  it('refuses a special file as execve, mmap and readelf do, and a directory', async () => {
    types.set('/w/fifo', 0);
    types.set('/w/dir', 2);
    types.set('/w/link', 65);
    await expect(WorkspaceFileAccess.open(uri('/w/fifo'), 'exec')).rejects.toThrow('/w/fifo: Permission denied: a special file cannot be executed (EACCES)');
    await expect(WorkspaceFileAccess.open(uri('/w/fifo'), 'map')).rejects.toThrow('/w/fifo: No such device: a special file cannot be mapped (ENODEV)');
    await expect(WorkspaceFileAccess.open(uri('/w/fifo'))).rejects.toThrow('/w/fifo: not an ordinary file: a special file (EINVAL)');
    await expect(WorkspaceFileAccess.open(uri('/w/dir'), 'exec')).rejects.toThrow('(EACCES)');
    await expect(WorkspaceFileAccess.open(uri('/w/dir'))).rejects.toThrow('/w/dir: Is a directory (EISDIR)');
    expect((await WorkspaceFileAccess.open(uri('/w/link'), 'exec')).size).toBe(100);
    expect((await WorkspaceFileAccess.open(uri('/w/prog'), 'map')).size).toBe(100);
  });
});
