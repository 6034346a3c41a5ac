import type { LoadRequest, LoadRuntime } from '../../flow/load-runtime.ts';
import { IterationInterrupted, type UndiciLoadHttp } from '../undici-load-http.ts';

/**
 * The runtime the iterations of one scenario share: undici requests, timer sleeps, and one
 * switch that interrupts every request and sleep still running at the end of the graceful stop.
 */
export class InterruptibleRuntime implements LoadRuntime {
  readonly #http: UndiciLoadHttp;
  readonly #sleeping = new Set<() => void>();
  #interrupted = false;

  constructor(http: UndiciLoadHttp) {
    this.#http = http;
  }

  request(request: LoadRequest) {
    return this.#http.request(request);
  }

  sleep(ms: number): Promise<void> {
    if (this.#interrupted) return Promise.reject(new IterationInterrupted());
    return new Promise((resolve, reject) => {
      const wake = () => {
        this.#sleeping.delete(cut);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      const cut = () => {
        clearTimeout(timer);
        reject(new IterationInterrupted());
      };
      this.#sleeping.add(cut);
    });
  }

  now(): number {
    return performance.now();
  }

  random(): number {
    return Math.random();
  }

  async interrupt(): Promise<void> {
    this.#interrupted = true;
    for (const cut of this.#sleeping) cut();
    this.#sleeping.clear();
    await this.#http.interrupt();
  }
}
