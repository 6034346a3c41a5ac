import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliUsageError } from '../cli-error.ts';

/**
 * Makes sure the reports can be written to `dir` before any work starts, creating it if
 * missing: a run that ends by failing to write its reports has been wasted. Throws a usage
 * error naming `flag` otherwise.
 */
export async function prepareOutputDir(dir: string, flag: string): Promise<void> {
  const refuse = (why: string) =>
    new CliUsageError(`${flag} ${dir}: ${why}; give a directory you can write reports to`);
  const missing: string[] = [];
  for (let path = dir; ; path = dirname(path)) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file stands where a parent directory should; found on the way up.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw refuse(`cannot read ${path} (${error.code ?? error.message})`);
    });
    if (found !== undefined) {
      if (!found.isDirectory()) throw refuse(`${path} is a file, not a directory`);
      break;
    }
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  try {
    // One level at a time: a recursive mkdir under /proc keeps retrying forever.
    for (const path of missing) await mkdir(path);
    await access(dir, constants.W_OK);
  } catch (error) {
    throw refuse(`cannot write there (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
