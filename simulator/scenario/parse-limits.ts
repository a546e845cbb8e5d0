// The operands of the limit settings (version 1 additions), checked as the kernel's sysctl and
// prlimit handlers check them. The parser (parser.ts) takes the tokens and reports the errors.
import { RLIMIT_RESOURCES, type RlimitResource } from '../mm/rlimit';
import { SYSCTL_SETTINGS, type SysctlSetting } from './ast-set';
import { didYouMean, quoteList } from './diagnostics';
import { parseInteger, parseSize } from './sizes';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export const LIMIT_USAGE = {
  overcommit: 'set overcommit 0|1|2',
  overcommit_ratio: 'set overcommit_ratio N',
  overcommit_kbytes: 'set overcommit_kbytes N',
  max_map_count: 'set max_map_count N',
  rlimit: 'set rlimit P as|data|stack|memlock SIZE|unlimited',
} as const;

export function isSysctlSetting(text: string): text is SysctlSetting {
  return (SYSCTL_SETTINGS as readonly string[]).includes(text);
}

/** The value written to /proc/sys/vm/<setting>: proc_dointvec_minmax's ranges (overcommit_memory 0..2, the rest >= 0). */
export function checkSysctlValue(setting: SysctlSetting, text: string): Checked<number> {
  if (setting === 'overcommit') {
    if (text === '0' || text === '1' || text === '2') return { ok: true, value: Number(text) };
    return { ok: false, message: `expected 0 (heuristic), 1 (always) or 2 (never: strict accounting) for vm.overcommit_memory, found '${text}'` };
  }
  const parsed = parseInteger(text, setting);
  if (!parsed.ok) return parsed;
  const max = setting === 'overcommit_kbytes' ? 1n << 52n : 2147483647n;
  if (parsed.value > max) return { ok: false, message: `${setting} ${text} is out of range: writing it to /proc/sys/vm/${setting} fails with EINVAL` };
  return { ok: true, value: Number(parsed.value) };
}

/** `as|data|stack|memlock`. */
export function checkRlimitResource(text: string): Checked<RlimitResource> {
  const resource = RLIMIT_RESOURCES.find((r) => r === text);
  if (resource) return { ok: true, value: resource };
  return { ok: false, message: `unknown resource '${text}'${didYouMean(text, RLIMIT_RESOURCES)}; expected ${quoteList(RLIMIT_RESOURCES)} (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_MEMLOCK)` };
}

/** `SIZE` in bytes, or `unlimited` (RLIM_INFINITY, undefined). */
export function checkRlimitValue(text: string): Checked<bigint | undefined> {
  if (text === 'unlimited' || text === 'infinity') return { ok: true, value: undefined };
  const parsed = parseSize(text);
  if (!parsed.ok) return { ok: false, message: `${parsed.message}, or 'unlimited'` };
  return parsed;
}
