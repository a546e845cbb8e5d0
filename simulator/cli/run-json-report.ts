// `asx run --json`: what each statement showed, noted and said, gathered as the run hands its records on.
import type { Statement } from '../scenario/ast';
import type { StepEvent } from '../scenario/events';
import type { StepRecord } from '../scenario/step-record';

export class JsonReport {
  private readonly shows: { line: number; statement: string; output: string }[] = [];
  private readonly failures: string[] = [];
  private readonly notes: { line: number; note: string }[] = [];
  private readonly events: ({ line: number } & StepEvent)[] = [];

  constructor(private readonly file: string) {}

  add(statement: Statement, step: StepRecord): void {
    if (step.output !== undefined) this.shows.push({ line: step.line, statement: statement.text, output: step.output });
    for (const failure of step.failures) this.failures.push(failure);
    for (const note of step.notes) this.notes.push({ line: step.line, note });
    for (const event of step.events ?? []) this.events.push({ line: step.line, ...event });
  }

  text(): string {
    return `${JSON.stringify({ file: this.file, shows: this.shows, failures: this.failures, notes: this.notes, events: this.events }, null, 2)}\n`;
  }
}
