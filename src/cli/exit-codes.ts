/** Process exit codes of the CLI and the action. Documented in the README; keep them stable. */
export const EXIT = {
  /** Everything ran; no gate failure. */
  ok: 0,
  /** The gate found a regression (compare / gate modes). */
  regression: 1,
  /** Bad command line or configuration. */
  config: 2,
  /** The endpoint never became ready within readiness.timeout_s. */
  notReady: 3,
  /** The run was cancelled (SIGINT/SIGTERM); finished records were kept. */
  aborted: 4,
  /** An unexpected internal error. */
  internal: 5,
  /** The measurement was not valid (the load generator limited it), so nothing could be concluded or recorded. */
  invalid: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
