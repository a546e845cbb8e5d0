import * as vscode from 'vscode';
import { splitLines } from '../../../simulator/scenario/lexer';
import type { ScenarioSessions } from '../scenario-sessions';
import { stepHoverMarkdown, escapeMarkdown } from './hover-text';
import { toy6HoverMarkdown } from './toy6-hover';
import { definitionFor, scanDefinitions, wordAt, type Definition } from './scenario-symbols';

/** Lines above a use scanned for its definition (a longer scenario: only the nearest). */
const MAX_SCAN_LINES = 20_000;

/** The definition of the process or region name under the cursor, if it is one. */
export function definitionAtPosition(document: vscode.TextDocument, position: vscode.Position): { definition: Definition; range: vscode.Range } | undefined {
  const text = document.lineAt(position.line).text;
  const word = wordAt(text, position.character);
  if (!word || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(word.text)) return undefined;
  const from = Math.max(0, position.line - MAX_SCAN_LINES);
  const lines = splitLines(document.getText(new vscode.Range(from, 0, position.line + 1, 0)));
  const definitions = scanDefinitions(lines).map((d) => ({ ...d, line: d.line + from }));
  const definition = definitionFor(definitions, word.text, position.line + 1);
  if (!definition) return undefined;
  return { definition, range: new vscode.Range(position.line, word.start, position.line, word.end) };
}

/**
 * Hovers of scenario lines: a name's definition, and after a run what the statement changed
 * (Rss/Pss/Swap, faults with their error code and si_code, notes, failed expects, `show` output).
 */
export function scenarioHoverProvider(sessions: ScenarioSessions): vscode.HoverProvider {
  return {
    provideHover(document, position) {
      const parts: string[] = [];
      let range: vscode.Range | undefined;
      const found = definitionAtPosition(document, position);
      if (found) {
        const { definition } = found;
        const what = definition.kind === 'process' ? (definition.how === 'fork' ? `process, forked from ${definition.process}` : definition.how === 'thread' ? `thread of ${definition.process}` : 'process') : `region of ${definition.process ?? '?'}`;
        const here = definition.line === position.line + 1;
        parts.push(`**${escapeMarkdown(definition.name)}**: ${escapeMarkdown(what)}${here ? '' : `, defined on line ${definition.line}`}\n\n\`\`\`aspace\n${definition.text}\n\`\`\``);
        range = found.range;
      }
      const session = sessions.get(document.uri);
      const run = session?.run;
      if (session && run && session.isCurrent(document)) {
        const index = run.statements.findIndex((s) => s.line === position.line + 1);
        if (index >= 0) parts.push(stepHoverMarkdown(run, index));
        // A toy6 scenario (set machine toy6): the walk of the statement.
        const toy6 = run.toy6?.statements.findIndex((s) => s.line === position.line + 1) ?? -1;
        if (run.toy6 && toy6 >= 0) parts.push(toy6HoverMarkdown(run.toy6, toy6));
      }
      if (parts.length === 0) return undefined;
      const markdown = new vscode.MarkdownString(parts.join('\n\n---\n\n'));
      markdown.supportThemeIcons = true;
      return new vscode.Hover(markdown, range);
    },
  };
}

/** Go to Definition of process and region names. */
export const scenarioDefinitionProvider: vscode.DefinitionProvider = {
  provideDefinition(document, position) {
    const found = definitionAtPosition(document, position);
    if (!found) return undefined;
    const { definition } = found;
    return new vscode.Location(document.uri, new vscode.Range(definition.line - 1, definition.start, definition.line - 1, definition.end));
  },
};
