/**
 * What a command reads from and writes to. The real CLI passes the process's streams and
 * leaves the rest to their defaults; tests pass buffers, an environment and an abort signal.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The `ESIMLAB_*` settings; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where relative paths resolve; default the directory the user typed the command in. */
  readonly cwd?: string;
  /**
   * Aborted when a long-running command (`up`, `proxy`) should stop, with the reason to
   * print; default: the process receives SIGINT or SIGTERM.
   */
  readonly stopSignal?: AbortSignal;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const envOf = (io: CliIo): Readonly<Record<string, string | undefined>> =>
  io.env ?? process.env;

// `pnpm esimlab …` runs the script from the repository root; INIT_CWD is where the user was.
export const cwdOf = (io: CliIo): string => io.cwd ?? process.env.INIT_CWD ?? process.cwd();

/** Resolves with the stop reason (`SIGINT`, `SIGTERM`, or the abort reason) once asked to stop. */
export function untilStopped(io: CliIo): Promise<string> {
  const signal = io.stopSignal ?? processStopSignal();
  return new Promise((resolve) => {
    const settle = () => resolve(String(signal.reason ?? 'stop'));
    if (signal.aborted) settle();
    else signal.addEventListener('abort', settle, { once: true });
  });
}

let processStop: AbortController | undefined;

// Installed only when a long-running command waits, so Ctrl-C still ends a short command
// at once. After the first signal both handlers go: a second Ctrl-C exits immediately.
function processStopSignal(): AbortSignal {
  if (processStop) return processStop.signal;
  const controller = new AbortController();
  processStop = controller;
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
