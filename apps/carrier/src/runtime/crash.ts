/**
 * "Exit the process" goes through this one hook, so crash points can be tested in-process
 * (the hook throws or records) and a real carrier dies for real (the launcher restarts it).
 */
export type CrashHook = (reason: string) => never;

/** Exit code a carrier uses when it crashes on purpose: the launcher restarts it. */
export const CRASH_EXIT_CODE = 70;

export const exitProcess: CrashHook = (reason) => {
  process.stderr.write(`carrier crashing on purpose: ${reason}\n`);
  process.exit(CRASH_EXIT_CODE);
};
