import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** Where the function starts, 0-based. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** What `node --cpu-prof` writes (the inspector's Profiler.Profile), as far as we read it. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: CallFrame;
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
}

export interface HotFunction {
  /** `name (file)`; native work (SQLite, JSON.parse) is charged to the JavaScript that called it. */
  readonly frame: string;
  /** Share of all samples, 0-1. */
  readonly share: number;
}

export interface CpuProfileSummary {
  readonly samples: number;
  /** Time spent in the function itself. */
  readonly self: readonly HotFunction[];
  /** Time spent in the function and what it called, for the carrier's and the store's code. */
  readonly inclusive: readonly HotFunction[];
}

/** The hottest functions of a `.cpuprofile`, by self time and, for our code, inclusive time. */
export async function summarizeCpuProfile(file: string, top = 15): Promise<CpuProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const sources = new SourceFrames();
  const byId = new Map(
    await Promise.all(
      profile.nodes.map(
        async (node) =>
          [node.id, { ...node, callFrame: await sources.of(node.callFrame) }] as const,
      ),
    ),
  );
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    // The SQLite timing hook's wrapper is charged to what called it, as the native work it
    // wraps would be without it.
    let leafId: number | undefined = id;
    while (leafId !== undefined && isTimingHook(byId.get(leafId)?.callFrame.url ?? '')) {
      leafId = parentOf.get(leafId);
    }
    const leaf = leafId === undefined ? undefined : byId.get(leafId);
    if (leaf === undefined) continue;
    add(self, frameOf(leaf.callFrame), count);
    // A frame counts once per sample however often it recurs on the stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at);
      if (node === undefined || !isOurs(node.callFrame.url)) continue;
      const frame = frameOf(node.callFrame);
      if (!seen.has(frame)) add(inclusive, frame, count);
      seen.add(frame);
    }
  }
  const total = profile.samples.length;
  const ranked = (table: Map<string, number>) =>
    [...table]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, count]) => ({ frame, share: total === 0 ? 0 : count / total }));
  return { samples: total, self: ranked(self), inclusive: ranked(inclusive) };
}

const add = (table: Map<string, number>, key: string, count: number) =>
  table.set(key, (table.get(key) ?? 0) + count);

const isTimingHook = (url: string) => url.endsWith('/sqlite-time-hook.mjs');

const isOurs = (url: string) => /\/(apps|packages)\/[^/]+\/src\//.test(url);

function frameOf(callFrame: CallFrame): string {
  const name = callFrame.functionName || '(anonymous)';
  if (callFrame.url === '') return name;
  const path = callFrame.url.replace(/^file:\/\//, '');
  const ours = /\/(apps|packages)\/([^/]+)\/src\/(.*)$/.exec(path);
  const where = ours ? `${ours[2]}/${ours[3]}` : path.split('/').slice(-2).join('/');
  return `${name} (${where})`;
}

/**
 * A frame as its source names it, for a bundle with an inline source map (the carrier process
 * runs its code bundled): its source file, and its own name where the bundler renamed it to
 * keep two modules' functions apart (`find2` for `find`). Other frames are left as they are.
 */
class SourceFrames {
  readonly #maps = new Map<string, Promise<SourceMap | undefined>>();

  async of(frame: CallFrame): Promise<CallFrame> {
    if (!frame.url.startsWith('file://')) return frame;
    let map = this.#maps.get(frame.url);
    if (map === undefined) {
      map = inlineSourceMap(frame.url);
      this.#maps.set(frame.url, map);
    }
    const entry = (await map)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry === undefined || !('originalSource' in entry)) return frame;
    const url = new URL(entry.originalSource, frame.url).href;
    // The mapping before a function's parameters is its name, with the source's spelling.
    const { name } = entry as { name?: string };
    const renamed =
      name !== undefined &&
      frame.functionName.startsWith(name) &&
      /^\d+$/.test(frame.functionName.slice(name.length));
    return { ...frame, url, ...(renamed ? { functionName: name } : {}) };
  }
}

const inlineMap = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

async function inlineSourceMap(url: string): Promise<SourceMap | undefined> {
  if (!url.endsWith('.mjs') && !url.endsWith('.js')) return undefined;
  const code = await readFile(fileURLToPath(url), 'utf8').catch(() => '');
  const encoded = inlineMap.exec(code)?.[1];
  if (encoded === undefined) return undefined;
  return new SourceMap(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
}
