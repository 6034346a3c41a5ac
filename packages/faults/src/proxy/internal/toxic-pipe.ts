import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { RandomSource } from '@esimlab/domain';
import type { Toxic } from '../toxic.ts';
import {
  type Chunk,
  createToxicStage,
  type StageContext,
  type ToxicStage,
} from './toxic-stages.ts';

// Past this much data held by toxics, stop reading the sender (TCP backpressure, not memory).
const holdLimitBytes = 1 << 20;

interface ToxicSlot {
  readonly toxic: Toxic;
  /** Absent when the toxicity draw left this connection untouched by the toxic. */
  readonly stage: ToxicStage | undefined;
}

/**
 * One direction of one proxied connection: bytes from `source` run through the toxics of
 * that direction, in the order they were added, and are written to `sink`. With no toxic
 * acting, bytes are written straight through (the pass-through path the benchmark measures).
 */
export class ToxicPipe {
  readonly #source: Socket;
  readonly #sink: Socket;
  readonly #context: StageContext;
  #slots: ToxicSlot[] = [];
  #stages: ToxicStage[] = [];
  readonly #queue: (Chunk | 'end')[] = [];
  #queuedBytes = 0;
  #running = false;
  #sinkBlocked = false;
  #stopped = false;

  constructor(source: Socket, sink: Socket, context: StageContext) {
    this.#source = source;
    this.#sink = sink;
    this.#context = context;
    source.on('data', (data: Buffer) => this.#accept(data));
    source.on('end', () => this.#acceptEnd());
    sink.on('drain', () => {
      this.#sinkBlocked = false;
      this.#updateFlow();
    });
  }

  /**
   * Brings the toxics in line with `toxics` (this direction's, in order). A toxic new to this
   * connection draws against its toxicity once, from `random`; one updated is drawn again.
   */
  sync(toxics: readonly Toxic[], random: RandomSource): void {
    const next = toxics.map(
      (toxic): ToxicSlot =>
        this.#slots.find((slot) => slot.toxic === toxic) ?? {
          toxic,
          stage:
            random.next() < toxic.toxicity ? createToxicStage(toxic, this.#context) : undefined,
        },
    );
    for (const slot of this.#slots) {
      if (next.includes(slot)) continue;
      const replaced = next.some((n) => n.toxic.name === slot.toxic.name);
      slot.stage?.dispose?.(replaced ? 'replaced' : 'removed');
    }
    this.#slots = next;
    this.#stages = next.flatMap((slot) => (slot.stage ? [slot.stage] : []));
  }

  /** The connection is gone: drop what is held and let the toxics go. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#queue.length = 0;
    for (const slot of this.#slots) slot.stage?.dispose?.('ended');
  }

  #accept(data: Buffer): void {
    if (this.#stopped) return;
    if (!this.#running && this.#stages.length === 0) {
      this.#write(data);
      return;
    }
    this.#queue.push({ data, at: performance.now() });
    this.#queuedBytes += data.length;
    this.#updateFlow();
    void this.#run();
  }

  #acceptEnd(): void {
    if (this.#stopped) return;
    if (!this.#running && this.#stages.length === 0) {
      this.#sink.end();
      return;
    }
    this.#queue.push('end');
    void this.#run();
  }

  #write(data: Buffer): void {
    if (this.#sink.destroyed || this.#sink.writableEnded) return;
    if (!this.#sink.write(data)) {
      this.#sinkBlocked = true;
      this.#updateFlow();
    }
  }

  #updateFlow(): void {
    const hold = this.#sinkBlocked || this.#queuedBytes > holdLimitBytes;
    if (hold && !this.#source.isPaused()) this.#source.pause();
    else if (!hold && this.#source.isPaused()) this.#source.resume();
  }

  // One chunk at a time through a snapshot of the chain, so bytes keep their order even while
  // toxics come and go; a toxic added mid-stream acts from the next chunk on.
  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let item = this.#queue.shift(); item !== undefined; item = this.#queue.shift()) {
        const stages = [...this.#stages];
        if (item === 'end') {
          for (const stage of stages) await stage.end?.();
          if (!this.#stopped) this.#sink.end();
          continue;
        }
        this.#queuedBytes -= item.data.length;
        this.#updateFlow();
        await this.#through(item, stages, 0);
      }
    } catch (error) {
      // An aborted wait means the connection closed under a toxic: nothing is left to do.
      if (!this.#context.signal.aborted) this.#sink.destroy(error as Error);
    } finally {
      this.#running = false;
    }
  }

  async #through(chunk: Chunk, stages: readonly ToxicStage[], index: number): Promise<void> {
    if (this.#stopped) return;
    const stage = stages[index];
    if (!stage) {
      this.#write(chunk.data);
      if (this.#sinkBlocked) await once(this.#sink, 'drain', { signal: this.#context.signal });
      return;
    }
    await stage.pass(chunk, (next) => this.#through(next, stages, index + 1));
  }
}
