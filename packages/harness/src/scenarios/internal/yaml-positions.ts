import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
} from 'yaml';
import type { ScenarioFilePosition } from '../scenario-file-error.ts';

/**
 * Finds where a path of a parsed document (`['steps', 3, 'topup', 'plan']`) was written, so a
 * problem found in the plain value can be reported at its line and column.
 */
export class YamlPositions {
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(doc: Document, lines: LineCounter) {
    this.#doc = doc;
    this.#lines = lines;
  }

  /** Where the value at `path` starts; the nearest enclosing node when the path goes further. */
  valueAt(path: readonly PropertyKey[]): ScenarioFilePosition {
    return this.#walk(path, 'value');
  }

  /** Where the key of the last segment of `path` is written (an unknown key, a record's name). */
  keyAt(path: readonly PropertyKey[]): ScenarioFilePosition {
    return this.#walk(path, 'key');
  }

  /** The 1-based line of a byte offset. */
  lineOf(offset: number): number {
    return this.#lines.linePos(offset).line;
  }

  /** A byte offset as a 1-based line and column. */
  positionOf(offset: number): ScenarioFilePosition {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }

  #walk(path: readonly PropertyKey[], target: 'key' | 'value'): ScenarioFilePosition {
    let node: unknown = this.#doc.contents;
    let found: ScenarioFilePosition = this.#start(node) ?? { line: 1, column: 1 };
    for (const [index, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(this.#doc);
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => keyText(p.key) === String(segment));
        if (!pair) return found;
        const keyStart = this.#start(pair.key);
        if (last && target === 'key') return keyStart ?? found;
        // `plan:` with nothing after it has no value node; its key is the best place to point.
        const valueStart = isEmptyScalar(pair.value) ? undefined : this.#start(pair.value);
        found = valueStart ?? keyStart ?? found;
        if (!valueStart) return found;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        const start = this.#start(item);
        if (!start) return found;
        found = start;
        node = item;
      } else {
        return found;
      }
    }
    return found;
  }

  #start(node: unknown): ScenarioFilePosition | undefined {
    const range = (node as Node | null | undefined)?.range;
    return range ? this.positionOf(range[0]) : undefined;
  }
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.range != null && node.range[0] === node.range[1];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
