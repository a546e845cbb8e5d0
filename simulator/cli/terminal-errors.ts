// What asx writes to stderr: messages that quote files, core notes, process names and paths, any of
// which may hold control characters; none of them reaches the terminal as one.
import type { Output } from './main';

/** Control characters (C0, DEL, C1) but the newline, written as `\xNN`. */
export function escapeControls(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 10) || (c >= 0x7f && c <= 0x9f)) {
      out += `${text.slice(from, i)}\\x${c.toString(16).padStart(2, '0')}`;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * stderr for the commands: everything they write has its control characters escaped, so that an
 * escape sequence in a scenario, an ELF or core file, or a process's mapped file names cannot drive
 * the terminal. On a terminal, `status` is the one line the progress of a long run is written on
 * (its carriage return and erase are the only controls asx sends).
 */
export function terminalErrors(raw: Output): Output {
  const status = raw.isTerminal ? (text: string | undefined) => raw.write(text === undefined ? '\r\x1b[K' : `\r${escapeControls(text)}`) : undefined;
  return { write: (text) => raw.write(escapeControls(text)), isTerminal: raw.isTerminal, status };
}
