import * as vscode from 'vscode';
import { COMMANDS } from './commands/command-ids';
import { examplesFolder, newScenarioFromExample } from './commands/new-from-example';
import { registerRunCommands } from './commands/run-commands';
import { translateAddressCommand } from './commands/translate-address';
import { compareWithRealSmaps } from './compare/compare-command';
import { COMPARE_SCHEME, CompareDocuments } from './compare/compare-documents';
import { ScenarioCodeLenses } from './language/code-lens';
import { completionProvider } from './language/completion-provider';
import { scenarioDecorations } from './language/decorations';
import { scenarioDefinitionProvider, scenarioHoverProvider } from './language/hover-provider';
import { scenarioDiagnostics } from './language/scenario-diagnostics';
import { addressLinks } from './links/address-links';
import { followCursor } from './links/follow-cursor';
import { runOnChange } from './links/run-on-change';
import { ASPACE_LANGUAGE } from '../identifiers';
import type { ScenarioSessions } from './scenario-sessions';

/** Compare with Real smaps for what is not a plain scenario (the twin of a live process); undefined: not one. */
export type CompareOverride = (arg: unknown) => Promise<unknown> | undefined;

/** Language support, commands and selection links for `.aspace` scenarios. Registration only: nothing runs until used. */
export function registerScenarioSupport(sessions: ScenarioSessions, log: vscode.LogOutputChannel, extensionUri: vscode.Uri, compareOverride?: CompareOverride): vscode.Disposable[] {
  sessions.untitledFolder = examplesFolder(extensionUri);
  const selector: vscode.DocumentSelector = { language: ASPACE_LANGUAGE };
  const lenses = new ScenarioCodeLenses(sessions);
  const compareDocuments = new CompareDocuments();
  // Marks in the editor and the address links have nothing to show before a scenario has run.
  let afterFirstRun: vscode.Disposable | undefined;
  const firstRun = sessions.onDidRun((session) => {
    if (afterFirstRun || !session.run) return;
    afterFirstRun = vscode.Disposable.from(scenarioDecorations(sessions), addressLinks(sessions));
    setTimeout(() => firstRun.dispose(), 0);
  });
  return [
    followCursor(sessions),
    runOnChange(sessions),
    scenarioDiagnostics(sessions),
    firstRun,
    { dispose: () => afterFirstRun?.dispose() },
    lenses,
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerCompletionItemProvider(selector, completionProvider(sessions), ' ', '=', '/'),
    vscode.languages.registerHoverProvider(selector, scenarioHoverProvider(sessions)),
    vscode.languages.registerDefinitionProvider(selector, scenarioDefinitionProvider),
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, compareDocuments),
    ...registerRunCommands(sessions, log),
    vscode.commands.registerCommand(COMMANDS.newFromExample, () => newScenarioFromExample(extensionUri)),
    vscode.commands.registerCommand(COMMANDS.translateAddress, (arg?: unknown) => translateAddressCommand(sessions, arg)),
    vscode.commands.registerCommand(COMMANDS.compareWithRealSmaps, (arg?: unknown) => compareOverride?.(arg) ?? compareWithRealSmaps(sessions, compareDocuments, compareArgs(arg))),
  ];
}

/** Arguments of Compare with Real smaps when called programmatically; anything else means "ask". */
function compareArgs(arg: unknown): { text?: string; name?: string; process?: string; uri?: vscode.Uri } | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { text, name, process } = arg as Record<string, unknown>;
  return {
    ...(typeof text === 'string' ? { text } : {}),
    ...(typeof name === 'string' ? { name: name.slice(0, 200) } : {}),
    ...(typeof process === 'string' ? { process } : {}),
  };
}
