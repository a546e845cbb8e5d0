// The live commands' argument handling (the live behaviour is in test/unit/simulator/live/).
import { describe, expect, it } from 'vitest';
import { renderPs, wantsLivePid } from '../../../../simulator/cli/live-command';
import { main } from '../../../../simulator/cli/main';

const VALUED = ['--aslr', '--seed'];

async function asx(...argv: string[]) {
  let out = '';
  let err = '';
  const status = await main(argv, { write: (t) => (out += t) }, { write: (t) => (err += t) });
  return { status, out, err };
}

describe('asx maps --pid, asx smaps, asx ps: arguments', () => {
  it('--pid before the FILE is a live process; after it, the program argument', () => {
    expect(wantsLivePid(['--pid', '12'], VALUED)).toBe(true);
    expect(wantsLivePid(['--pid=12'], VALUED)).toBe(true);
    expect(wantsLivePid(['--aslr', 'on', '--pid', '12'], VALUED)).toBe(true);
    expect(wantsLivePid(['./prog', '--pid', '12'], VALUED)).toBe(false);
    expect(wantsLivePid(['--', '--pid'], VALUED)).toBe(false);
  });

  it('one usage line for what is wrong', async () => {
    expect(await asx('smaps')).toMatchObject({ status: 2, err: "asx: asx smaps needs --pid PID (see 'asx help')\n" });
    expect(await asx('smaps', '--pid', 'x')).toMatchObject({ status: 2, err: "asx: --pid must be a process id, not 'x' (see 'asx help')\n" });
    expect(await asx('ps', '--sort', 'size')).toMatchObject({ status: 2, err: "asx: --sort must be rss, pss, uss, swap or pid, not 'size' (see 'asx help')\n" });
    expect(await asx('maps', '--pid', '0')).toMatchObject({ status: 2 });
  });

  it('prints the process table with the command last', () => {
    const text = renderPs([{ pid: 7, user: 'root', command: 'sleep 9', rssKb: 1000, pssKb: 600, ussKb: 500, swapKb: 0, swapPssKb: 0 }]);
    expect(text).toBe('    PID USER    RSS kB    PSS kB    USS kB   SWAP kB COMMAND\n      7 root      1000       600       500         0 sleep 9\n');
  });
});
