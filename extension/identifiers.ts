// The identifiers that the light activation front and the core both need, in a module with no imports,
// so that the front's bundle stays small.

/** The default editor for ELF file names, and the "Open With…" choice for any other file. */
export const ELF_VIEW_TYPE = 'addressSpaceExplorer.elf';
export const ANY_FILE_VIEW_TYPE = 'addressSpaceExplorer.anyFile';

/** The scenario panel's webview type (restored by a serializer after a reload). */
export const SCENARIO_PANEL_VIEW_TYPE = 'addressSpaceExplorer.scenario';

/** The live view of a real process (Address Space: Open Process…). */
export const LIVE_VIEW_TYPE = 'addressSpaceExplorer.live';
export const OPEN_PROCESS = 'addressSpaceExplorer.openProcess';
/** Set in the web worker extension host (VS Code for the Web), which has no /proc: hides what needs one. */
export const WEB_HOST_CONTEXT = 'addressSpaceExplorer.webHost';
/** Simulate This Process: the twin of a live process or a core, as a scenario. */
export const SIMULATE_PROCESS = 'addressSpaceExplorer.simulateProcess';

export const OPEN_IN_EXPLORER = 'addressSpaceExplorer.openInExplorer';

/** The scenario language's id. */
export const ASPACE_LANGUAGE = 'aspace';
