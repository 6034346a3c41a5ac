import { runCli } from '../../src/index.ts';

export interface CapturedIo {
  readonly io: {
    out(text: string): void;
    err(text: string): void;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly cwd?: string;
    readonly stopSignal?: AbortSignal;
  };
  readonly out: string[];
  readonly err: string[];
  stdout(): string;
  stderr(): string;
}

/**
 * A CliIo that records what a command prints. The environment is empty unless given, so a
 * developer's own ESIMLAB_* settings never leak into a test.
 */
export function capture(
  options: { env?: Record<string, string>; cwd?: string; stopSignal?: AbortSignal } = {},
): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: options.env ?? {},
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.stopSignal !== undefined ? { stopSignal: options.stopSignal } : {}),
    },
    out,
    err,
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}

/** A command run to completion: its exit code and what it printed. */
export async function runToEnd(
  argv: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = capture(options);
  const code = await runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

export interface LongRun extends CapturedIo {
  /** The exit code, once the command returns. */
  readonly exit: Promise<number>;
  /** Waits until the output matches, failing early (with the output) if the command ends first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Asks the command to stop, as Ctrl-C does, and returns its exit code. */
  stop(reason?: string): Promise<number>;
}

/** Starts a long-running command (`up`, `proxy`) in this process, stoppable through its io. */
export function startLongRun(
  argv: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): LongRun {
  const controller = new AbortController();
  const captured = capture({ ...options, stopSignal: controller.signal });
  let ended = false;
  const exit = runCli(argv, captured.io).finally(() => {
    ended = true;
  });
  const transcript = () => `stdout:\n${captured.stdout()}\nstderr:\n${captured.stderr()}`;
  return {
    ...captured,
    exit,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(captured.stdout());
        if (match) return match;
        if (ended) {
          throw new Error(
            `esimlab ${argv.join(' ')} exited with ${await exit} before printing ${pattern}\n${transcript()}`,
          );
        }
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${pattern}\n${transcript()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop(reason = 'SIGINT') {
      controller.abort(reason);
      return exit;
    },
  };
}

/** GET a URL's JSON, or undefined when nothing answers. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
    return await res.json();
  } catch {
    return undefined;
  }
}
