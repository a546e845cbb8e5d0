import { readFile, realpath } from 'node:fs/promises';
import type { FileOpener, HostFile } from './file-opener';
import { NodeFileAccess } from './node-file-access';
import { describeOpenError, type OpenPurpose } from '../../simulator/loader/open-refusal';
import { pathInRoot, resolveInRoot } from './sysroot-path';

async function open(hostPath: string, shownPath: string, purpose: OpenPurpose = 'read'): Promise<HostFile> {
  const access = await NodeFileAccess.open(hostPath, purpose);
  return { access, path: shownPath, kind: access.kind, dispose: () => access.close() };
}

/** file: URIs through node:fs (range reads, device and inode, canonical paths); other schemes through `fallback`. */
export function nodeFileOpener(fallback: FileOpener): FileOpener {
  let cpuinfo: Promise<string | undefined> | undefined;
  return {
    async openProgram(uri, purpose) {
      if (uri.scheme !== 'file') return fallback.openProgram(uri, purpose);
      const canonical = await realpath(uri.fsPath).catch((error: unknown) => {
        throw describeOpenError(uri.fsPath, error);
      });
      return open(canonical, canonical, purpose);
    },
    async openInSysroot(sysroot, path) {
      if (sysroot.scheme !== 'file') return fallback.openInSysroot(sysroot, path);
      const root = await realpath(sysroot.fsPath);
      const host = await resolveInRoot(root, path);
      return open(host, pathInRoot(root, host));
    },
    cpuinfo: () => (cpuinfo ??= readFile('/proc/cpuinfo', 'utf8').catch(() => fallback.cpuinfo())),
    thpEnabled: () => readFile('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').catch(() => undefined),
  };
}
