// The OOM killer: oom_badness's choice (rss + swap entries + page tables, oom_score_adj in
// thousandths of RAM + swap, -1000 never), and __oom_kill_process's line.
import { describe, expect, it } from 'vitest';
import { oomBadness, oomKillLine, oomTotalPages, selectBadProcess } from '../../../../simulator/mm/oom-kill';
import { statusFields } from '../../../../simulator/proc/status';
import { runScenario } from '../../../../simulator/scenario/run';
import { STATIC, eventsOf, files, run } from '../../../support/static-run';

const events = eventsOf;

// 4 MiB of RAM, no swap: P holds 1 MiB, Q writes 6 MiB (two 3 MiB mappings, each within overcommit).
const MACHINE = `set ram 4M\nP = exec ${STATIC}\nQ = exec ${STATIC}\nA = mmap P 1M rw- private anon\nwrite P A`;
const HOG = 'B = mmap Q 3M rw- private anon\nC = mmap Q 3M rw- private anon\nwrite Q B\nwrite Q C';

describe('the OOM killer', () => {
  it('kills the process with the most rss + swap + page tables, and prints the kernel\'s line before freeing it', async () => {
    const r = await run(`${MACHINE}\n${HOG}\nexpect Q killed SIGKILL\nexpect P A Rss=1M\nshow maps Q`);
    expect(r.failures).toEqual([]);
    const [kill] = events(r);
    expect(kill).toMatchObject({ kind: 'oom-kill', process: 'Q', line: 8, column: 1 });
    expect(kill!.message).toMatch(/^Out of memory: Killed process 1001 \(static\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB, shmem-rss:\d+kB, UID:0 pgtables:\d+kB oom_score_adj:0$/);
    // The counters are the victim's just before the kill: those of the state before the statement, plus what it faulted.
    const before = r.stateAfter(r.indexAtLine(7)).kernel.tasks.get('Q')!;
    const anon = Number(/anon-rss:(\d+)kB/.exec(kill!.message)![1]);
    expect(anon).toBeGreaterThan(statusFields(before).find(([f]) => f === 'RssAnon')![1]);
    expect(kill!.message).toContain(`total-vm:${statusFields(before).find(([f]) => f === 'VmSize')![1]}kB`);
    expect(r.steps.at(-1)!.output).toBe('Q is not running: the OOM killer killed it (SIGKILL) at line 8\n');
  });

  it('chooses by oom_score_adj: 1000 adds RAM + swap\'s pages, -1000 is never chosen', async () => {
    const adj = await run(`${MACHINE}\nset oom_score_adj P 1000\n${HOG}\nexpect P killed SIGKILL`);
    expect(adj.failures).toEqual([]);
    expect(events(adj)[0]!.message).toMatch(/^Out of memory: Killed process 1000 \(static\) .* oom_score_adj:1000$/);
    const never = await run(`${MACHINE}\nset oom_score_adj P -1000\nset oom_score_adj Q -1000\n${HOG}`);
    expect(new Set(events(never).map((e) => e.kind))).toEqual(new Set(['oom-no-victim']));
    expect(events(never)[0]!.message).toMatch(/^Out of memory and no killable processes\.\.\./);
  });

  it('computes oom_badness as the kernel does, and a fork inherits oom_score_adj', async () => {
    const r = await run(`${MACHINE}\nset oom_score_adj P -300\nR = fork P`);
    const k = r.stateAfter(r.statements.length - 1).kernel;
    const [p, q, child] = ['P', 'Q', 'R'].map((n) => k.tasks.get(n)!);
    const total = oomTotalPages(k);
    expect(total).toBe(1024);
    const pages = (t: typeof p) => t!.rss.anon + t!.rss.file + t!.rss.shmem + t!.rss.swapEnts + Math.floor(t!.pt.tableBytes / 4096);
    expect(oomBadness(p!, total)).toBe(pages(p) - 300 * Math.floor(total / 1000));
    expect(child!.oomScoreAdj).toBe(-300);
    expect(oomBadness(q!, total)).toBe(pages(q));
    expect(selectBadProcess(k)?.victim.name).toBe('Q');
    expect(oomKillLine(p!)).toContain(`(static) total-vm:`);
  });

  it('refuses oom_score_adj outside -1000..1000', async () => {
    const outcome = await runScenario(`P = exec ${STATIC}\nset oom_score_adj P 1001`, 's.aspace', files);
    expect(outcome.ok ? [] : outcome.diagnostics.map((d) => d.message)).toEqual([`expected an oom_score_adj from -1000 (never chosen by the OOM killer) to 1000, found '1001'`]);
  });
});
