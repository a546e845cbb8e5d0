// asx's stderr: no control character from a file, a process or a core reaches the terminal.
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { escapeControls, terminalErrors } from '../../../../simulator/cli/terminal-errors';

describe("asx's stderr", () => {
  it('writes C0 and C1 controls and DEL as \\xNN, and keeps the newlines that end lines', () => {
    expect(escapeControls('a\rb\u009bc\u007fd\te\x1b]0;title\x07\n')).toBe('a\\x0db\\x9bc\\x7fd\\x09e\\x1b]0;title\\x07\n');
    expect(escapeControls('plain ünïcode 😀\n')).toBe('plain ünïcode 😀\n');
  });

  it('escapes everything the commands write, and has a status line only on a terminal', () => {
    let raw = '';
    const err = terminalErrors({ write: (t) => (raw += t), isTerminal: true });
    err.write('name \x1b[31mred\n');
    err.status?.('done \x1b[2J');
    err.status?.(undefined);
    expect(raw).toBe('name \\x1b[31mred\n\rdone \\x1b[2J\r\x1b[K');
    expect(terminalErrors({ write: () => {} }).status).toBeUndefined();
  });

  it('holds for a command that fails on a file name with an escape sequence', async () => {
    let err = '';
    const status = await main(['elf', '/no/such/\x1b[31mfile'], { write: () => {} }, { write: (t) => (err += t) });
    expect(status).toBe(1);
    expect(err).toBe('asx: /no/such/\\x1b[31mfile: No such file or directory (ENOENT)\n');
  });
});
