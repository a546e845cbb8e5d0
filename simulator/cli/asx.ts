import { main } from './main';
import { escapeControls } from './terminal-errors';

// stdout may be a closed pipe (asx elf big | head): exit quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));

const chunks: string[] = [];
let pending = 0;
const stdout = {
  write(text: string) {
    chunks.push(text);
    pending += text.length;
    if (pending > 1 << 20) flush();
  },
};
function flush() {
  if (chunks.length) process.stdout.write(chunks.join(''));
  chunks.length = 0;
  pending = 0;
}

main(process.argv.slice(2), stdout, { write: (t) => process.stderr.write(t), isTerminal: process.stderr.isTTY === true }).then(
  (status) => {
    flush();
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`asx: internal error: ${escapeControls(String(error).split('\n')[0] ?? '')}\n`);
    process.exitCode = 70;
  },
);
