// A real process for the live view's tests (in-host and e2e): test/fixtures/live/view-target.c,
// compiled with gcc, started, and stopped after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LiveTarget {
  readonly pid: number;
  /** The program's path (its name is the process's comm). */
  readonly program: string;
  /** Where it mapped its regions ("0x7f…"). */
  readonly anon: string;
  readonly shmem: string;
  readonly file: string;
  /** Sends SIGUSR1 (64 more anonymous pages written) and waits until they are. */
  touchMore(): Promise<void>;
  stop(): void;
}

function nextLine(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the live target printed no ${pattern} within ${timeoutMs} ms: ${JSON.stringify(text)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const m = pattern.exec(text);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(m);
    };
    child.stdout?.on('data', onData);
  });
}

/** Compiles and starts the target; `root` is the repository. */
export async function startLiveTarget(root: string): Promise<LiveTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-live-view-'));
  const program = join(dir, 'live-target');
  const cc = spawnSync(process.env.CC ?? 'gcc', ['-O1', '-o', program, join(root, 'test/fixtures/live/view-target.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`gcc view-target.c failed: ${cc.stderr}`);
  const child = spawn(program, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await nextLine(child, /ready (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)\n/);
  const pid = child.pid as number;
  return {
    pid, program, anon: ready[1] as string, shmem: ready[2] as string, file: ready[3] as string,
    touchMore: async () => {
      const touched = nextLine(child, /touched\n/);
      child.kill('SIGUSR1');
      await touched;
    },
    stop: () => {
      child.kill('SIGKILL');
    },
  };
}

/** One VMA of /proc/PID/smaps: its maps line's range and its kB fields. */
export interface KernelVma {
  readonly start: string;
  readonly end: string;
  readonly fields: Readonly<Record<string, number>>;
}

/** /proc/PID/smaps as the kernel prints it now, VMA by VMA. */
export function kernelSmaps(pid: number): KernelVma[] {
  const vmas: { start: string; end: string; fields: Record<string, number> }[] = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'latin1').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (head) {
      vmas.push({ start: `0x${head[1]}`.replace(/^0x0+(?=.)/, '0x'), end: `0x${head[2]}`.replace(/^0x0+(?=.)/, '0x'), fields: {} });
      continue;
    }
    const field = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (field && vmas.length) (vmas[vmas.length - 1] as { fields: Record<string, number> }).fields[field[1] as string] = Number(field[2]);
  }
  return vmas;
}
