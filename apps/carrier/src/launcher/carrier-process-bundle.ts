import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const carrierProcessEntry = fileURLToPath(new URL('./carrier-process.ts', import.meta.url));
const UNUSED_FOR_MS = 7 * 24 * 3600 * 1000;

/**
 * The carrier process's own code (this package and the workspace packages it imports) as one
 * ES module, built from the sources with esbuild the first time this process launches a
 * carrier. Node 20 cannot run .ts, and loading the sources through tsx's hooks cost each
 * carrier process about 1 s of CPU against 0.3 s for the bundle: on a busy two-core machine
 * that was the difference between a start in time and one that was not.
 *
 * Third-party packages stay outside the bundle, imported from where Node would find them,
 * and each module keeps its own `import.meta.url`, so the bundle behaves as the sources do.
 * Run it with `--enable-source-maps` for stack traces that name the .ts files. A process
 * keeps the bundle it built first: a carrier restarted after its sources were edited runs
 * the code it started with.
 */
export class CarrierProcessBundle {
  /** Where it may be written, in order of preference: the first usable one is used. */
  readonly #dirs: readonly string[];
  readonly #entryPoint: string;
  #pending: Promise<string> | undefined;

  /** `entryPoint`: the carrier process's module, unless another is given. */
  constructor(dirs: readonly string[], entryPoint = carrierProcessEntry) {
    this.#dirs = dirs;
    this.#entryPoint = entryPoint;
  }

  /** The bundle's path, built on the first call and again only if its file is gone. */
  async file(): Promise<string> {
    const building = this.#building();
    const file = await building;
    if (await exists(file)) return file;
    // Removed since (a cleaned cache): built again, once for every caller that finds it gone.
    if (this.#pending === building) this.#pending = undefined;
    return this.#building();
  }

  #building(): Promise<string> {
    if (this.#pending === undefined) {
      const pending = writeBundle(this.#entryPoint, this.#dirs).catch((error: unknown) => {
        if (this.#pending === pending) this.#pending = undefined;
        throw error;
      });
      this.#pending = pending;
    }
    return this.#pending;
  }
}

/**
 * The one every supervisor of this process uses: in the package's node_modules (gone with a
 * fresh install, never committed), or where that is read-only, in a directory of this user's
 * own in the system's temporary one.
 */
export const carrierProcessBundle = new CarrierProcessBundle([
  fileURLToPath(new URL('../../node_modules/.cache/esimlab-carrier', import.meta.url)),
  join(tmpdir(), `esimlab-carrier-${process.getuid?.() ?? 'user'}`),
]);

async function writeBundle(entryPoint: string, dirs: readonly string[]): Promise<string> {
  const cacheDir = await usableDir(dirs);
  const result = await build({
    entryPoints: [entryPoint],
    // Not written: the file name is the content's hash. Source paths in the map are relative
    // to this directory, where the file ends up.
    outfile: join(cacheDir, 'carrier-process.mjs'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Resolve as Node does: no "module" condition or field.
    conditions: [],
    mainFields: ['main'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [thirdPartyStaysOutside, ownImportMetaUrl],
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no carrier process bundle');
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, 16);
  const file = join(cacheDir, `carrier-process-${hash}.mjs`);
  // Run only a file that holds exactly what was built: a partial write or any other content
  // under this name is replaced.
  const existing = await readFile(file).catch(() => undefined);
  if (existing?.equals(output.contents)) {
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
  } else {
    // Other processes and threads may be writing the same bundle: each renames its own
    // complete copy into place.
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await writeFile(partial, output.contents, { mode: 0o600 });
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }
  await pruneUnused(cacheDir, file);
  return file;
}

/** The first of `candidates` this user owns (or can create) and may write to. */
async function usableDir(candidates: readonly string[]): Promise<string> {
  const problems: string[] = [];
  for (const dir of candidates) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const { uid } = await stat(dir);
      const me = process.getuid?.();
      if (me !== undefined && uid !== me) throw new Error(`owned by another user (uid ${uid})`);
      await access(dir, constants.W_OK);
      return dir;
    } catch (error) {
      problems.push(`${dir}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no directory to write the carrier process bundle to (${problems.join('; ')})`);
}

const esimlabPackage = /^@esimlab\//;

/** Bare imports other than the workspace's become imports of the file Node would load. */
const thirdPartyStaysOutside: Plugin = {
  name: 'third-party-stays-outside',
  setup(on) {
    const resolving = Symbol('resolving');
    on.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (esimlabPackage.test(args.path) || args.path.startsWith('node:')) return undefined;
      if (args.pluginData === resolving) return undefined;
      const resolved = await on.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: resolving,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (resolved.external) return { path: args.path, external: true };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

/**
 * `import.meta.url` in a bundled module is that module's source file, not the bundle:
 * `new URL('./x', import.meta.url)` and `createRequire(import.meta.url)` work as in the sources.
 */
const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(on) {
    on.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.split(sep).includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const other = /import\.meta(?!\.url\b)/.exec(source);
      if (other) {
        const line = source.slice(0, other.index).split('\n').length;
        return {
          errors: [
            {
              text: `${args.path}:${line}: only import.meta.url is kept per module in the carrier bundle`,
            },
          ],
        };
      }
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Bundles of sources edited since, unused for a week. */
async function pruneUnused(cacheDir: string, current: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => []);
  const cutoff = Date.now() - UNUSED_FOR_MS;
  await Promise.all(
    names
      .map((name) => join(cacheDir, name))
      .filter(
        (file) =>
          file !== current && /carrier-process-[0-9a-f]+\.mjs(\.[0-9a-f]+\.partial)?$/.test(file),
      )
      .map(async (file) => {
        const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: Date.now() }));
        if (mtimeMs < cutoff) await rm(file, { force: true });
      }),
  );
}
