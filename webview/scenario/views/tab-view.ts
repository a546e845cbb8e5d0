import type { RegionRow } from '../../../simulator/inspect/view-models';
import type { PanelClient } from '../panel-client';
import type { At, PanelStatus } from '../protocol';

/** What a tab renders from: the step's status, the selected process and region. */
export interface TabContext {
  readonly status: PanelStatus;
  readonly at: At;
  readonly process: string | null;
  /** The selected process's VMAs (fetched only for the tabs that need them). */
  readonly rows: readonly RegionRow[];
  readonly region: RegionRow | undefined;
  /** Where the views' requests go (the scenario panel's client; the live view answers the same methods). */
  readonly client: Pick<PanelClient, 'request'>;
  /** False once a newer step or selection has started rendering: drop late results. */
  current(): boolean;
}

/** What the tabs ask the panel to do. */
export interface PanelActions {
  selectProcess(name: string): void;
  selectRegion(row: RegionRow): void;
  /** Show a scenario line in the editor. */
  reveal(line: number): void;
  /** Walk an address in the page-table tab. */
  walk(address: string): void;
  setStep(step: number): void;
  setLine(line: number): void;
}

export interface TabView {
  readonly element: HTMLElement;
  /** Whether update() needs the selected process's rows. */
  readonly needsRegions: boolean;
  update(context: TabContext): Promise<void>;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
