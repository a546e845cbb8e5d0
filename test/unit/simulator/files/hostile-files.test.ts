// Hostile files as programs, mapped files, dlopen'd libraries and `asx elf`/`asx maps` inputs:
// FIFOs, sockets, directories, symlink loops, devices, /proc files and a 100 GB sparse file.
// Each ends quickly (the generous test timeout is the hang guard) with Linux's errno in one line.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { splitDeviceNumber } from '../../../../simulator/elf/file-access';

const HANG_GUARD_MS = 60_000;
const scratch = mkdtempSync(join(tmpdir(), 'asx-hostile-'));
let server: Server | undefined;

beforeAll(async () => {
  execFileSync('mkfifo', [join(scratch, 'fifo')]);
  mkdirSync(join(scratch, 'dir'));
  symlinkSync('loop-b', join(scratch, 'loop-a'));
  symlinkSync('loop-a', join(scratch, 'loop-b'));
  writeFileSync(join(scratch, 'sparse'), '');
  truncateSync(join(scratch, 'sparse'), 100e9);
  // Executable, so that exec reaches the file's contents (ENOEXEC) instead of may_open's EACCES.
  chmodSync(join(scratch, 'sparse'), 0o755);
  server = createServer();
  await new Promise<void>((done) => server?.listen(join(scratch, 'sock'), done));
});
afterAll(() => {
  server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { write: (t) => out.push(t) }, { write: (t) => err.push(t) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

async function scenario(name: string, text: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const file = join(scratch, `${name}.aspace`);
  writeFileSync(file, text);
  return run(['run', file, '--json']);
}

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

interface Hostile {
  readonly name: string;
  readonly path: () => string;
  /** What exec, mmap, dlopen, `asx elf` and `asx maps` say of it (a piece of the message). */
  readonly exec: string;
  readonly mmap: string | 'ok';
  readonly dlopen: string;
  readonly elf: string;
}

const at = (name: string) => () => join(scratch, name);
const HOSTILE: readonly Hostile[] = [
  { name: 'fifo', path: at('fifo'), exec: 'Permission denied: a fifo cannot be executed (EACCES)', mmap: 'No such device: a fifo cannot be mapped (ENODEV)', dlopen: 'file too short', elf: 'not an ordinary file: a fifo' },
  { name: 'socket', path: at('sock'), exec: 'Permission denied: a socket cannot be executed (EACCES)', mmap: 'No such device or address (ENXIO)', dlopen: 'cannot open shared object file: No such device or address', elf: 'No such device or address (ENXIO)' },
  { name: 'directory', path: at('dir'), exec: 'Permission denied: a directory cannot be executed (EACCES)', mmap: 'No such device: a directory cannot be mapped (ENODEV)', dlopen: 'cannot read file data: Is a directory', elf: 'Is a directory (EISDIR)' },
  { name: 'symlink loop', path: at('loop-a'), exec: 'Too many levels of symbolic links (ELOOP)', mmap: 'Too many levels of symbolic links (ELOOP)', dlopen: 'cannot open shared object file: Too many levels of symbolic links', elf: 'Too many levels of symbolic links (ELOOP)' },
  { name: '/dev/urandom', path: () => '/dev/urandom', exec: 'Permission denied: a character device cannot be executed (EACCES)', mmap: 'No such device: a character device cannot be mapped (ENODEV)', dlopen: 'invalid ELF header', elf: 'not an ordinary file: a character device' },
  { name: '/dev/null', path: () => '/dev/null', exec: '(EACCES)', mmap: '(ENODEV)', dlopen: 'invalid ELF header', elf: 'not an ordinary file' },
  { name: '/proc/self/status', path: () => '/proc/self/status', exec: 'Permission denied: a /proc or /sys file cannot be executed (EACCES)', mmap: 'a /proc or /sys file cannot be mapped (ENODEV)', dlopen: 'file too short', elf: 'too short for an ELF identification' },
  { name: '100 GB sparse file', path: at('sparse'), exec: 'ENOEXEC', mmap: 'ok', dlopen: 'invalid ELF header', elf: 'not an ELF file' },
];

describe('hostile files never block and say what Linux says', () => {
  for (const h of HOSTILE) {
    it(`${h.name}: P = exec`, { timeout: HANG_GUARD_MS }, async () => {
      const r = await scenario('exec', `P = exec ${h.path()}\n`);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(h.exec);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      noStackTrace(r.stderr);
    });
    it(`${h.name}: mmap … file`, { timeout: HANG_GUARD_MS }, async () => {
      const r = await scenario('mmap', `P = exec /bin/true\nR = mmap P 4K r-- private file ${h.path()}\nshow maps P\n`);
      if (h.mmap === 'ok') {
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(h.path());
      } else {
        expect(r.status).toBe(2);
        expect(r.stderr).toContain(h.mmap);
      }
      noStackTrace(r.stderr);
    });
    it(`${h.name}: dlopen`, { timeout: HANG_GUARD_MS }, async () => {
      const r = await scenario('dlopen', `P = exec /bin/true\ndlopen P ${h.path()}\n`);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`dlopen failed: ${h.path()}: ${h.dlopen}`);
    });
    it(`${h.name}: asx run of it as the scenario file`, { timeout: HANG_GUARD_MS }, async () => {
      const r = await run(['run', h.path()]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      noStackTrace(r.stderr);
    });
    for (const command of ['elf', 'maps']) {
      it(`${h.name}: asx ${command}`, { timeout: HANG_GUARD_MS }, async () => {
        const r = await run([command, h.path()]);
        expect(r.status).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(command === 'elf' ? h.elf : h.exec);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        noStackTrace(r.stderr);
      });
    }
  }

  it('/dev/zero: private is anonymous memory named /dev/zero, shared writable is /dev/zero (deleted)', { timeout: HANG_GUARD_MS }, async () => {
    // The same calls on this kernel print: rw-p 00000000 00:06 4 /dev/zero (devtmpfs's device and inode),
    // rw-s 00000000 00:01 N /dev/zero (deleted) (shmem), r--p 00002000 00:06 4 /dev/zero for offset 8K.
    const st = statSync('/dev/zero', { bigint: true });
    const { major, minor } = splitDeviceNumber(st.dev);
    const dev = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')} ${st.ino}`;
    const r = await scenario('zero', 'P = exec /bin/true\nA = mmap P 8K rw- private file /dev/zero\nB = mmap P 8K rw- shared file /dev/zero\nC = mmap P 8K r-- private file /dev/zero offset 8K\nwrite P A\nshow maps P\nshow smaps P A\n');
    expect(r.status).toBe(0);
    const maps = (JSON.parse(r.stdout) as { shows: { output: string }[] }).shows.map((s) => s.output).join('');
    expect(maps).toMatch(new RegExp(`rw-p 00000000 ${dev} +/dev/zero\\n`));
    expect(maps).toMatch(/rw-s 00000000 00:01 \d+ +\/dev\/zero \(deleted\)\n/);
    expect(maps).toMatch(new RegExp(`r--p 00002000 ${dev} +/dev/zero\\n`));
    expect(maps).toMatch(/Anonymous: +8 kB/);
  });
});
