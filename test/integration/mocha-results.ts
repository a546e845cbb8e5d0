import type Mocha from 'mocha';

export interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs: number;
  readonly error?: string;
}

/** A Mocha run as JSON with the counters scripts/test-summary.mjs reads (vitest's names). */
export interface SuiteResults {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly tests: TestResult[];
}

export function collectResults(runner: Mocha.Runner): Promise<SuiteResults> {
  const tests: TestResult[] = [];
  const title = (t: Mocha.Runnable) => t.fullTitle();
  runner.on('pass', (t) => tests.push({ title: title(t), state: 'passed', durationMs: t.duration ?? 0 }));
  runner.on('fail', (t, error: Error) => tests.push({ title: title(t), state: 'failed', durationMs: t.duration ?? 0, error: error.stack ?? error.message }));
  runner.on('pending', (t) => tests.push({ title: title(t), state: 'pending', durationMs: 0 }));
  return new Promise((resolve) => {
    runner.on('end', () => {
      const count = (state: TestResult['state']) => tests.filter((t) => t.state === state).length;
      resolve({ numPassedTests: count('passed'), numFailedTests: count('failed'), numPendingTests: count('pending'), tests });
    });
  });
}
