// The process the twin's tests simulate (in-host and e2e): test/fixtures/live/twin-target.c,
// compiled with gcc, started, and killed after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TwinTarget {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly program: string;
  /** Its anonymous mapping's start ("0x7f…"). */
  readonly anon: string;
  stop(): void;
}

/** Compiles and starts the target (`root`: the repository); resolves once it says where its mappings are. */
export async function startTwinTarget(root: string): Promise<TwinTarget> {
  const program = join(mkdtempSync(join(tmpdir(), 'asx-twin-')), 'twin-target');
  const cc = spawnSync(process.env.CC ?? 'gcc', ['-O1', '-o', program, join(root, 'test/fixtures/live/twin-target.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`gcc twin-target.c failed: ${cc.stderr}`);
  const child = spawn(program, [], { stdio: ['ignore', 'pipe', 'inherit'] });
  const anon = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`twin-target printed no ready line: ${JSON.stringify(text)}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /ready (0x[0-9a-f]+) /.exec(text);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1] as string);
    });
  });
  return { child, pid: child.pid as number, program, anon, stop: () => void child.kill('SIGKILL') };
}
