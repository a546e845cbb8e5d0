// `asx run` on a terminal shows a long run's progress on one line of stderr and clears it; elsewhere nothing.
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../../../simulator/cli/progress-line';
import { terminalErrors } from '../../../../simulator/cli/terminal-errors';

describe('the progress line of asx run', () => {
  it('is off on a pipe or a file', () => {
    expect(progressLine(terminalErrors({ write: () => {} })).control).toEqual({});
    expect(progressLine(terminalErrors({ write: () => {}, isTerminal: false })).control).toEqual({});
  });

  it('on a terminal: one rewritten line while the run goes on, cleared at the end', () => {
    let err = '';
    const progress = progressLine(terminalErrors({ write: (t: string) => (err += t), isTerminal: true }));
    expect(progress.control.sliceMs).toBeGreaterThan(0);
    progress.control.onProgress?.(12345, 1048578);
    progress.control.onProgress?.(524289, 1048578);
    // The run's last report (all done) writes nothing: the line is cleared instead.
    progress.control.onProgress?.(1048578, 1048578);
    progress.clear();
    expect(err).toBe('\rasx run: statement 12,345 of 1,048,578 (1%)\rasx run: statement 524,289 of 1,048,578 (50%)\r\x1b[K');
  });

  it('clears nothing when nothing was shown (a run shorter than one slice)', () => {
    let err = '';
    const progress = progressLine(terminalErrors({ write: (t: string) => (err += t), isTerminal: true }));
    progress.control.onProgress?.(3, 3);
    progress.clear();
    expect(err).toBe('');
  });
});
