/** A timer waiting in the queue: fires at `at`, ties broken by the order they were set. */
export interface QueuedTimer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/** A binary min-heap of timers ordered by (`at`, `seq`): the order they fire in is total. */
export class TimerQueue {
  readonly #heap: QueuedTimer[] = [];
  #live = 0;

  get size(): number {
    return this.#live;
  }

  push(timer: QueuedTimer): void {
    const heap = this.#heap;
    heap.push(timer);
    this.#live++;
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent] as QueuedTimer)) break;
      heap[i] = heap[parent] as QueuedTimer;
      i = parent;
    }
    heap[i] = timer;
  }

  cancel(timer: QueuedTimer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    this.#live--;
  }

  /** The earliest live timer, removed from the queue; undefined when none is left. */
  pop(): QueuedTimer | undefined {
    for (;;) {
      const top = this.#shift();
      if (top === undefined) return undefined;
      if (top.cancelled) continue;
      this.#live--;
      top.cancelled = true;
      return top;
    }
  }

  /** The earliest live timer, left in place. */
  peek(): QueuedTimer | undefined {
    while (this.#heap[0]?.cancelled) this.#shift();
    return this.#heap[0];
  }

  clear(): void {
    for (const timer of this.#heap) timer.cancelled = true;
    this.#heap.length = 0;
    this.#live = 0;
  }

  #shift(): QueuedTimer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as QueuedTimer, heap[left] as QueuedTimer)
          ? right
          : left;
      if (!before(heap[child] as QueuedTimer, last)) break;
      heap[i] = heap[child] as QueuedTimer;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

const before = (a: QueuedTimer, b: QueuedTimer): boolean =>
  a.at < b.at || (a.at === b.at && a.seq < b.seq);
