// autocannon 9 ships no types: the part of its programmatic API the benchmarks use.
declare module 'autocannon' {
  interface AutocannonOptions {
    readonly url: string;
    readonly connections?: number;
    /** Seconds. */
    readonly duration?: number;
    readonly pipelining?: number;
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  }

  interface Histogram {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
    readonly total: number;
  }

  interface AutocannonResult {
    /** Seconds, to 0.01. */
    readonly duration: number;
    /** Milliseconds, whole. */
    readonly latency: Histogram;
    /** `total`: requests answered. */
    readonly requests: Histogram;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
