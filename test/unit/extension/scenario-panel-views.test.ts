// The panel's view models per step, computed on the host from a real run, pass the webview's checks.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prefetchViews } from '../../../extension/scenario-panel/panel-prefetch';
import { panelStatus } from '../../../extension/scenario-panel/panel-status';
import { StaleRunError, RunViews } from '../../../extension/scenario-panel/panel-views';
import { NodeFileSystem } from '../../../simulator/cli/node-file-access';
import { runScenario } from '../../../simulator/scenario/run';
import { DEFAULT_SETTINGS } from '../../../simulator/scenario/state';
import { INITIAL_PANEL_STATE } from '../../../webview/scenario/panel-state';
import { parseHostMessage, requestKey, SCENARIO_METHODS, TABS } from '../../../webview/scenario/protocol';
import { REPO_ROOT } from '../../support/exec-layout';
import { runScenarioFile, showSections } from '../../support/scenarios';

async function runExample(name: string): Promise<RunViews> {
  const path = resolve(REPO_ROOT, 'examples', name);
  const outcome = await runScenario(readFileSync(path, 'utf8'), path, { fs: new NodeFileSystem('/'), resolve: (p) => resolve(dirname(path), p) });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return new RunViews(7, outcome.run);
}

describe('the scenario panel\'s view models on the host', () => {
  it('answers every view of every step of fork-cow with data the webview accepts', async () => {
    const views = await runExample('02-fork-cow.aspace');
    const { results } = SCENARIO_METHODS;
    expect(views.answer('timeline', { run: 7 }).lines.length).toBeGreaterThan(0);
    results.timeline(views.answer('timeline', { run: 7 }));
    for (let step = -1; step < views.run.statements.length; step++) {
      const at = { run: 7, step };
      for (const p of views.processes(step)) {
        const { rows } = results.regions(views.answer('regions', { ...at, process: p.name }));
        const named = rows.find((r) => r.region === 'A') ?? rows[0];
        if (!named) continue;
        const region = { ...at, process: p.name, region: named.index };
        results.smaps(views.answer('smaps', region));
        const pages = results.pages(views.answer('pages', region));
        expect(pages?.count).toBe(named.pages);
        results.page(views.answer('page', { ...at, process: p.name, address: named.start }));
        for (const mode of ['x86-64', 'i386', 'toy6'] as const) results.walk(views.answer('walk', { ...at, process: p.name, address: named.start, mode }));
      }
      const physical = results.physical(views.answer('physical', at));
      results.frame(views.answer('frame', { ...at, pfn: physical.frames - 1 }));
      results.lru(views.answer('lru', at));
      results.faults(views.answer('faults', { ...at, all: true }));
    }
  });

  it('shows at `show smaps Q A` the numbers `asx run` prints there', async () => {
    const views = await runExample('02-fork-cow.aspace');
    // Both runs with the default machine: this one's CPU may have protection keys (smaps' ProtectionKey line).
    const { text } = await runScenarioFile(resolve(REPO_ROOT, 'examples/02-fork-cow.aspace'), DEFAULT_SETTINGS.pkeys);
    const [header, lines] = [...showSections(text)].find(([h]) => h.endsWith(': show smaps Q A')) ?? ['', []];
    const line = Number(/^# (\d+):/.exec(header)?.[1]);
    const shown = lines.join('\n');
    // THPeligible is a plain count (no kB), the smaps tab has it as a row too.
    const expected = Object.fromEntries([...shown.matchAll(/^(\w+):\s+(\d+)(?: kB)?$/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    const step = views.run.indexAtLine(line);
    const { rows } = views.answer('regions', { run: 7, step, process: 'Q' });
    const a = rows.find((r) => r.region === 'A');
    expect(a).toBeDefined();
    const smaps = views.answer('smaps', { run: 7, step, process: 'Q', region: a?.index ?? 0 });
    const kb = Object.fromEntries(smaps?.fields.map((f) => [f.name, f.kb]) ?? []);
    expect(kb).toEqual(expected);
  });

  it('sends with a step the visible tab\'s views, as the panel would ask for them', async () => {
    const views = await runExample('02-fork-cow.aspace');
    const session = { uri: { path: '/x/02-fork-cow.aspace' }, stepIndex: 5, problem: undefined, progress: undefined } as unknown as Parameters<typeof panelStatus>[0];
    const status = panelStatus(session, views, false);
    const sent = (tab: (typeof TABS)[number]) => prefetchViews(views, status, { ...INITIAL_PANEL_STATE, tab }).map((v) => requestKey(v.method, v.params));
    const at = { run: 7, step: 5 };
    const a = views.answer('regions', { ...at, process: 'P' }).rows.find((r) => r.region === 'A');
    expect(sent('smaps')).toEqual([requestKey('regions', { process: 'P', ...at }), requestKey('smaps', { ...at, process: 'P', region: a?.index ?? -1 })]);
    expect(sent('pagetable')).toEqual([requestKey('regions', { ...at, process: 'P' }), requestKey('walk', { ...at, process: 'P', address: a?.start ?? '', mode: 'x86-64' })]);
    expect(sent('lru')).toEqual([requestKey('lru', at)]);
    expect(sent('timeline')).toEqual([]);
    for (const tab of TABS) {
      // As postMessage delivers it (a structured clone), and as the panel checks it.
      const message = parseHostMessage(structuredClone({ kind: 'event', event: 'status', params: status, views: prefetchViews(views, status, { ...INITIAL_PANEL_STATE, tab }) }));
      expect(message.kind === 'event' && message.event === 'status' && message.views.map((v) => requestKey(v.method, v.params))).toEqual(sent(tab));
    }
  });

  it('refuses a request for another run, and clamps steps to the run', async () => {
    const views = await runExample('01-demand-paging.aspace');
    expect(() => views.answer('physical', { run: 8, step: 0 })).toThrow(StaleRunError);
    expect(views.clamp(1 << 20)).toBe(views.run.statements.length - 1);
    expect(views.clamp(-5)).toBe(-1);
  });
});
