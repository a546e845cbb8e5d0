// The `# Pss:` lines of asx smaps --explain.
import type { LiveVma } from './types';

/** The `# Pss:` lines for one VMA (one per group) and the `# Pss sum:` line, each ending in "\n". */
export function explainLines(vma: LiveVma): string {
  void vma;
  return '';
}
