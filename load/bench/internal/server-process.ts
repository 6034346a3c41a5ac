import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a server entry (bench/servers/*.ts) tells the bench once it listens. */
export interface ListeningMessage {
  readonly type: 'listening';
  readonly port: number;
}

/** A server under test in a child process of its own, so the driver never shares its CPU. */
export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  /** `127.0.0.1:port`. */
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
// Node 20 cannot run .ts: the child loads tsx's hooks first, as the carrier processes do.
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const START_TIMEOUT_MS = 20_000;

/**
 * Starts `bench/servers/<entry>.ts` with `args` and resolves once it reports its port over
 * IPC. Its output goes to this process's stderr, prefixed with its name.
 */
export async function startServerProcess(
  name: string,
  entry: string,
  args: readonly string[] = [],
): Promise<ServerProcess> {
  const file = fileURLToPath(new URL(`../servers/${entry}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', tsxLoader, file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const forward = (chunk: Buffer) =>
    process.stderr.write(
      chunk
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${name}] ${line}\n`)
        .join(''),
    );
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await listeningPort(child, name, exited);
    return {
      name,
      url: `http://127.0.0.1:${port}`,
      address: `127.0.0.1:${port}`,
      pid: child.pid as number,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

function listeningPort(child: ChildProcess, name: string, exited: Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not listen within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (message: Partial<ListeningMessage>) => {
      if (message?.type !== 'listening' || typeof message.port !== 'number') return;
      clearTimeout(timer);
      resolve(message.port);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it listened (its output is above)`));
    });
  });
}
