/** How `lucca-connectors runs` says, in one line, how a run of one workflow type went (no personal data). */
export interface RunWords {
  /** A completed run, from its result (undefined when it could not be read) or its last state. */
  finished(result: unknown, runState: string): string;
  /** A running run in a state worth words of its own (undefined: the state as it is). */
  running?(runState: string): string | undefined;
}
