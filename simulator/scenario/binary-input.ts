// A file that is not text at all: one diagnostic for it instead of one per "line" of binary data.
import type { Diagnostic } from './diagnostics';

const ELF_MAGIC = '\x7fELF';

/**
 * Why `text` cannot be a scenario, when it is binary data: an ELF file (the program itself, given
 * where its scenario was meant), or anything with a NUL byte, which no text holds. Undefined for text.
 */
export function binaryInputProblem(text: string): Diagnostic | undefined {
  if (text.startsWith(ELF_MAGIC)) {
    const message = 'this is an ELF file, not a scenario: `asx maps FILE` shows the address space the kernel gives it and `asx elf FILE` its headers; in VS Code, open it to see both';
    return { severity: 'error', message, span: { line: 1, column: 1, endColumn: 5 } };
  }
  const nul = text.indexOf('\0');
  if (nul < 0) return undefined;
  // 1-based line and column as the lexer counts them (\r\n, \r and \n end a line).
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < nul; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = nul - lineStart + 1;
  return { severity: 'error', message: 'a NUL byte: this is binary data, not a scenario (a scenario is a text file)', span: { line, column, endColumn: column + 1 } };
}
