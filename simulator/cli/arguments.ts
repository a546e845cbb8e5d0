/** A command line the user got wrong; exit status 2. */
export class UsageError extends Error {}

export interface ParsedArguments {
  readonly positional: string[];
  /** Every value given for each option, in order (the last one wins for single-valued options). */
  readonly options: Map<string, string[]>;
  readonly flags: Set<string>;
}

/**
 * Splits argv into positionals, `--name value` options and `--flag`s. After the
 * first positional, unknown `--x` words belong to the program (asx maps FILE ARGS...),
 * and `--` ends option parsing.
 */
export function parseArguments(argv: readonly string[], valued: readonly string[], flags: readonly string[], passThroughAfterFirst = false): ParsedArguments {
  const result: ParsedArguments = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      result.positional.push(...argv.slice(i + 1));
      break;
    }
    const [name, inline] = word.startsWith('--') ? (word.split(/=(.*)/s) as [string, string?]) : [word, undefined];
    if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      result.options.set(name, [...(result.options.get(name) ?? []), value]);
    } else if (flags.includes(name) && inline === undefined) {
      result.flags.add(name);
    } else if (word.startsWith('-') && word !== '-' && !(passThroughAfterFirst && result.positional.length > 0)) {
      throw new UsageError(`unknown option '${word}'`);
    } else {
      result.positional.push(word);
    }
  }
  return result;
}

/** The last value of a single-valued option. */
export function lastOption(args: ParsedArguments, name: string): string | undefined {
  return args.options.get(name)?.at(-1);
}
