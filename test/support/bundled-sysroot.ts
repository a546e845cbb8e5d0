// The capture host's system files, bundled with the repo (test/fixtures/entry-sysroot), so that the
// goldens captured there run on any machine. Each file is kept "hollow": the same size, with the
// bytes the loader reads (ELF headers, program and section headers, dynamic section, symbol,
// string, hash, version and relocation tables, notes) and zeros where code and data were.
// test/fixtures/capture/bundle-sysroot.ts writes the bundle on the capture host.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { NodeFileSystem } from '../../simulator/cli/node-file-access';
import type { FileAccess, FileIdentity } from '../../simulator/elf/file-access';
import type { FileSystem, OpenedFile } from '../../simulator/loader/file-system';
import { describeOpenError } from '../../simulator/loader/open-refusal';
import { resolveInRoot, type LinkLookup } from '../../simulator/loader/resolve-in-root';

export const BUNDLE_DIR = resolve(__dirname, '../fixtures/entry-sysroot');

/** One file of the capture host: its size, hash and identity there, and where its kept bytes are. */
export interface BundledFile {
  readonly size: number;
  readonly sha256: string;
  readonly major: number;
  readonly minor: number;
  readonly inode: number;
  /** The blob (gzip: one JSON line of [offset, length] extents, then their bytes), relative to the bundle. */
  readonly blob: string;
}

export interface BundleManifest {
  readonly host: string;
  /** Symbolic links the loader follows on the capture host, by absolute path: their text. */
  readonly links: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, BundledFile>>;
}

/** The gzip blob format: the kept extents' bytes, read back with zeros in between. */
export function packHollow(extents: ReadonlyArray<readonly [number, number]>, bytes: Uint8Array): Buffer {
  const parts = extents.map(([offset, length]) => bytes.subarray(offset, offset + length));
  return Buffer.concat([Buffer.from(`${JSON.stringify(extents)}\n`), ...parts]);
}

/** A file whose bytes outside the kept extents read as zeros, as a file with holes does. */
export class HollowFileAccess implements FileAccess {
  private readonly extents: Array<{ start: number; end: number; at: number }> = [];
  constructor(
    readonly name: string,
    readonly size: number,
    private readonly data: Buffer,
    private readonly ident: FileIdentity,
  ) {
    const newline = data.indexOf(10);
    let at = newline + 1;
    for (const [offset, length] of JSON.parse(data.subarray(0, newline).toString('utf8')) as Array<[number, number]>) {
      this.extents.push({ start: offset, end: offset + length, at });
      at += length;
    }
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size);
    const out = new Uint8Array(Math.max(0, end - offset));
    for (const e of this.extents) {
      const from = Math.max(e.start, offset);
      const to = Math.min(e.end, end);
      if (from < to) out.set(this.data.subarray(e.at + from - e.start, e.at + to - e.start), from - offset);
    }
    return Promise.resolve(out);
  }

  identity(): Promise<FileIdentity | undefined> {
    return Promise.resolve(this.ident);
  }
}

let cached: BundleManifest | undefined;
/** The bundle's manifest, or undefined in a checkout without it. */
export function bundleManifest(): BundleManifest | undefined {
  const path = resolve(BUNDLE_DIR, 'manifest.json');
  if (!cached && existsSync(path)) cached = JSON.parse(readFileSync(path, 'utf8')) as BundleManifest;
  return cached;
}

const blobs = new Map<string, Buffer>();
function blobOf(file: BundledFile): Buffer {
  let data = blobs.get(file.blob);
  if (!data) blobs.set(file.blob, (data = gunzipSync(readFileSync(resolve(BUNDLE_DIR, file.blob)))));
  return data;
}

/** Whether a path is a bundled file or link, or a directory on the way to one. */
function lookupIn(manifest: BundleManifest): LinkLookup {
  const dirs = new Set<string>();
  for (const path of [...Object.keys(manifest.files), ...Object.keys(manifest.links)]) {
    for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
  }
  return (path) => {
    const link = manifest.links[path];
    if (link !== undefined) return Promise.resolve({ link });
    return Promise.resolve(manifest.files[path] || dirs.has(path) ? 'other' : 'missing');
  };
}

const notFound = (path: string) => describeOpenError(path, Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));

/**
 * The capture host as the simulated machine: paths under `hostTrees` (the checkout: the fixtures
 * built there) are this machine's files; every other absolute path is a bundled file, or missing.
 */
export class BundledFileSystem implements FileSystem {
  private readonly host = new NodeFileSystem('/');
  private readonly lookup: LinkLookup;

  constructor(
    private readonly manifest: BundleManifest,
    private readonly hostTrees: readonly string[],
  ) {
    this.lookup = lookupIn(manifest);
  }

  private onHost(path: string): boolean {
    return this.hostTrees.some((tree) => path === tree || path.startsWith(tree + '/'));
  }

  openProgram(path: string, purpose: 'exec' | 'map' = 'exec'): Promise<OpenedFile> {
    const absolute = resolve(path);
    return this.onHost(absolute) ? this.host.openProgram(absolute, purpose) : this.openBundled(absolute);
  }

  open(path: string): Promise<OpenedFile> {
    const absolute = resolve(path);
    return this.onHost(absolute) ? this.host.open(absolute) : this.openBundled(absolute);
  }

  private async openBundled(path: string): Promise<OpenedFile> {
    let real: string;
    try {
      real = await resolveInRoot('/', path, this.lookup);
    } catch {
      throw notFound(path);
    }
    const file = this.manifest.files[real];
    if (!file) throw notFound(path);
    const access = new HollowFileAccess(real, file.size, blobOf(file), { major: file.major, minor: file.minor, inode: file.inode });
    return { access, path: real, kind: 'regular' };
  }
}

/** The sha256 of a file as the capture saw it: the bundle's record for system files, the file itself in the checkout. */
export function capturedFileHash(manifest: BundleManifest | undefined, path: string, inCheckout: boolean): string | undefined {
  if (!inCheckout) return manifest?.files[path]?.sha256;
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : undefined;
}
