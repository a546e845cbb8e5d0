// `asx run` on a terminal shows a long run's progress on one line of stderr and clears it; elsewhere nothing.
import { describe, expect, it } from 'vitest';
import { clearProgress, progressOn } from '../../../../simulator/cli/progress-line';

describe('the progress line of asx run', () => {
  it('is off on a pipe or a file', () => {
    expect(progressOn({ write: () => {} })).toEqual({});
    expect(progressOn({ write: () => {}, isTerminal: false })).toEqual({});
  });

  it('on a terminal: one rewritten line while the run goes on, cleared at the end', () => {
    let err = '';
    const terminal = { write: (t: string) => (err += t), isTerminal: true };
    const control = progressOn(terminal);
    expect(control.sliceMs).toBeGreaterThan(0);
    control.onProgress?.(12345, 1048578);
    control.onProgress?.(524289, 1048578);
    // The run's last report (all done) writes nothing: the line is cleared instead.
    control.onProgress?.(1048578, 1048578);
    clearProgress(terminal);
    expect(err).toBe('\rasx run: statement 12,345 of 1,048,578 (1%)\rasx run: statement 524,289 of 1,048,578 (50%)\r\x1b[K');
  });

  it('clears nothing when nothing was shown (a run shorter than one slice)', () => {
    let err = '';
    const terminal = { write: (t: string) => (err += t), isTerminal: true };
    progressOn(terminal).onProgress?.(3, 3);
    clearProgress(terminal);
    expect(err).toBe('');
  });
});
