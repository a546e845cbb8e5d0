// The scenario panel after a fork (issue 14): a click on the other process keeps the region, the
// smaps tab names its process, shows every field `asx run` prints (THPeligible too), and the CR3
// card of the walk says what CR3 is instead of an empty "bits" label.
import { describe, expect, it } from 'vitest';
import { listProcesses, listRegions, regionSmaps, walkAddress } from '../../../simulator/inspect';
import { checkRegionSmaps } from '../../../webview/scenario/checks';
import { procFileTitle, smapsValue, walkBitsLabel } from '../../../webview/scenario/format';
import { INITIAL_PANEL_STATE } from '../../../webview/scenario/panel-state';
import { pickRegion, processClick } from '../../../webview/scenario/selection';
import { runText } from '../simulator/inspect/run-scenario';

const FORK = `P = exec hello/hello
A = mmap P 64K rw- private anon
write P A 0 16K
Q = fork P
write Q A 0 4K
B = mmap Q 16K rw- private anon
munmap Q A
`;

describe('the scenario panel after a fork', () => {
  it('a click on the other process keeps the region: the child shows its VMA at the same place', async () => {
    const run = await runText(FORK);
    const state = run.stateAfter(4); // after `write Q A`: Q has every VMA P has
    const parent = listRegions(state, 'P');
    const stack = parent.find((r) => r.name === '[stack]')!;
    const selected = { ...INITIAL_PANEL_STATE, process: 'P', region: stack.start };
    const after = { ...selected, ...processClick('Q') };
    expect(after.region).toBe(stack.start);
    const shown = pickRegion(listRegions(state, 'Q'), after.region);
    expect(shown?.mapsLine).toBe(stack.mapsLine);
    // And back: the parent's region again.
    expect(pickRegion(parent, { ...after, ...processClick('P') }.region)?.start).toBe(stack.start);
  });

  it('where the other process has no VMA there, the default region (the first one the scenario named)', async () => {
    const run = await runText(FORK);
    const state = run.stateAfter(6); // Q unmapped A and mapped B
    const a = listRegions(state, 'P').find((r) => r.region === 'A')!;
    const rows = listRegions(state, 'Q');
    expect(rows.some((r) => BigInt(r.start) <= BigInt(a.start) && BigInt(a.start) < BigInt(r.end))).toBe(false);
    expect(pickRegion(rows, a.start)).toBe(rows.find((r) => r.region !== undefined) ?? rows[0]);
  });

  it('names the process it shows: parent and child differ by name and pid', async () => {
    const run = await runText(FORK);
    const processes = listProcesses(run.stateAfter(3));
    const [p, q] = [processes.find((x) => x.name === 'P')!, processes.find((x) => x.name === 'Q')!];
    expect(p.pid).not.toBe(q.pid);
    expect(procFileTitle(processes, 'P', 'smaps')).toBe(`/proc/${p.pid}/smaps of P`);
    expect(procFileTitle(processes, 'Q', 'smaps')).toBe(`/proc/${q.pid}/smaps of Q`);
    expect(procFileTitle(processes, 'Q', 'maps')).toBe(`/proc/${q.pid}/maps of Q`);
    expect(procFileTitle([], 'R', 'smaps')).toBe('/proc/?/smaps of R');
  });

  it('shows THPeligible as smaps prints it (a number, no kB), and the webview accepts it', async () => {
    const run = await runText(FORK);
    const state = run.stateAfter(4);
    const a = listRegions(state, 'Q').find((r) => r.region === 'A')!;
    const smaps = checkRegionSmaps(JSON.parse(JSON.stringify(regionSmaps(state, 'Q', a.index))));
    const thp = smaps.fields.find((f) => f.name === 'THPeligible');
    expect(thp).toMatchObject({ plain: true });
    expect(smapsValue(thp!)).toBe(String(thp!.kb));
    expect(smaps.fields.at(-1)?.name).toBe('THPeligible');
    const rss = smaps.fields.find((f) => f.name === 'Rss')!;
    expect(rss.plain).toBeUndefined();
    expect(smapsValue(rss)).toBe(`${rss.kb} kB`);
    expect(smapsValue({ kb: 1048576 })).toBe('1,048,576 kB');
    const bad = { ...smaps, fields: [{ name: 'THPeligible', kb: 0, plain: 'yes' }] };
    expect(() => checkRegionSmaps(bad)).toThrow(/plain must be true/);
  });

  it('the CR3 card (and toy6\'s PTBR) says it is a register instead of an empty bits label', async () => {
    const run = await runText(FORK);
    const state = run.stateAfter(4);
    const a = listRegions(state, 'P').find((r) => r.region === 'A')!;
    for (const mode of ['x86-64', 'i386', 'toy6'] as const) {
      const walk = walkAddress(state, 'P', BigInt(a.start), mode);
      const labels = walk.levels.map((l) => walkBitsLabel(l));
      if (mode === 'i386' && walk.unavailable) continue;
      expect(labels[0]).toMatchObject({ text: 'register' });
      expect(labels[0]!.title).toMatch(/is a register, not a table/);
      for (const label of labels) expect(label.text).not.toMatch(/^bits\s*$/);
    }
    const x86 = walkAddress(state, 'P', BigInt(a.start), 'x86-64').levels.map((l) => walkBitsLabel(l).text);
    expect(x86).toEqual(['register', 'bits 47:39', 'bits 38:30', 'bits 29:21', 'bits 20:12']);
  });
});
