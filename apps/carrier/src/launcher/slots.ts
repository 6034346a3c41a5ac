/** At most `size` of the functions given to `run` at once; the others wait their turn, in order. */
export class Slots {
  readonly #size: number;
  #busy = 0;
  readonly #queue: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, Math.trunc(size));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#busy += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, if any.
      const next = this.#queue.shift();
      if (next) next();
      else this.#busy -= 1;
    }
  }
}
