import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierProcessBundle } from '../../src/launcher/carrier-process-bundle.ts';
import { tempDataDir } from './launcher-support.ts';

describe('the carrier process bundle', () => {
  const dataDir = tempDataDir();
  let dir: string;
  let notADir: string;
  let stale: string;
  let recent: string;
  let bundle: CarrierProcessBundle;
  let file: string;
  let code: string;

  beforeAll(async () => {
    dir = dataDir.path;
    notADir = join(dir, 'a-file');
    await writeFile(notADir, '');
    stale = join(dir, 'carrier-process-00000000000000aa.mjs');
    recent = join(dir, 'carrier-process-00000000000000bb.mjs');
    await writeFile(stale, '');
    await writeFile(recent, '');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await utimes(stale, eightDaysAgo, eightDaysAgo);
    // The first choice cannot be a directory: the bundle goes to the next.
    bundle = new CarrierProcessBundle([join(notADir, 'cache'), dir]);
    file = await bundle.file();
    code = await readFile(file, 'utf8');
  });

  afterAll(() => dataDir.remove());

  it('is named by its content, in the first directory it can write to, and built once', async () => {
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    expect(basename(file)).toBe(`carrier-process-${hash}.mjs`);
    expect(dirname(file)).toBe(dir);
    const { mtimeMs } = await stat(file);
    expect(await bundle.file()).toBe(file);
    // Neither built nor touched again.
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
  });

  it('replaces a file under its name that holds anything but what was built', async () => {
    await writeFile(file, 'process.exit(3);\n');
    const again = new CarrierProcessBundle([dir]);
    expect(await again.file()).toBe(file);
    expect(await readFile(file, 'utf8')).toBe(code);
  });

  it('is built again when its file is gone', async () => {
    await rm(file);
    expect(await bundle.file()).toBe(file);
    expect(await readFile(file, 'utf8')).toBe(code);
  });

  it('drops bundles unused for a week, and keeps recent ones', () => {
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });

  it('names every directory it tried when it can write to none', async () => {
    const nowhere = new CarrierProcessBundle([join(notADir, 'x'), join(notADir, 'y')]);
    await expect(nowhere.file()).rejects.toThrow(
      /no directory to write the carrier process bundle to \(.*a-file\/x: .*; .*a-file\/y: /,
    );
  });

  it('fails naming the file and line of a syntax error, and builds once it is mended', async () => {
    const source = join(dir, 'broken.ts');
    await writeFile(source, 'export const x = 1;\nexport const y = ;\n');
    const broken = new CarrierProcessBundle([dir], source);
    await expect(broken.file()).rejects.toThrow(/broken\.ts:2:\d+: ERROR/);
    await writeFile(source, 'export const x = 1;\nexport const y = 2;\n');
    expect(await readFile(await broken.file(), 'utf8')).toContain('y = 2');
  });

  it('refuses a module that uses import.meta for anything but its url', async () => {
    const source = join(dir, 'meta.ts');
    await writeFile(source, 'export const a = 1;\nexport const here = import.meta.dirname;\n');
    await expect(new CarrierProcessBundle([dir], source).file()).rejects.toThrow(
      /meta\.ts:2: only import\.meta\.url is kept per module/,
    );
  });

  it("gives each module its own source file's import.meta.url", () => {
    expect(code).not.toContain('import.meta.url');
    const walCheckpointer = new URL(
      '../../../../packages/store/src/sqlite/internal/wal-checkpointer.ts',
      import.meta.url,
    ).href;
    expect(code).toContain(JSON.stringify(walCheckpointer));
  });

  it('imports third-party packages from the files Node would load, and holds the workspace', () => {
    const specifiers = [
      ...code.matchAll(/^import .*? from "([^"]+)";$/gm),
      ...code.matchAll(/\bimport\("([^"]+)"\)/g),
    ].map((m) => m[1] ?? '');
    // faker is imported on first use.
    expect(specifiers.some((s) => s.includes('@faker-js'))).toBe(true);
    const external = specifiers.filter((s) => !s.startsWith('node:'));
    expect(external.length).toBeGreaterThan(3);
    for (const specifier of external) {
      expect(specifier).toMatch(/^file:\/\/.*\/node_modules\//);
      expect(existsSync(fileURLToPath(specifier))).toBe(true);
    }
    expect(specifiers.some((s) => s.includes('@esimlab/'))).toBe(false);
  });

  it('prints stack traces that name the .ts sources', async () => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.send({ type: 'not-a-start-message' });
    expect(await exit).toBe(1);
    expect(output).toContain('expected a start message');
    expect(output).toMatch(/src\/launcher\/carrier-process\.ts:\d+:\d+/);
  });
});
