// Engine-neutral (see flow/load-runtime.ts). The shapes are k6's scenario options, so the k6
// script exports them as they are and the Node driver's executors read the same objects.

export interface RateStage {
  /** A k6 duration, e.g. `10s`. */
  duration: string;
  /** Iterations per `timeUnit` reached at the end of the stage. */
  target: number;
}

/** Starts `rate` iterations per `timeUnit` whatever the answers' latency (an open model). */
export interface ConstantArrivalRateConfig {
  executor: 'constant-arrival-rate';
  rate: number;
  timeUnit: string;
  duration: string;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStop: string;
}

/** Like constant-arrival-rate, with the rate moving linearly from stage to stage. */
export interface RampingArrivalRateConfig {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnit: string;
  stages: RateStage[];
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStop: string;
}

/** `vus` loops, each starting its next iteration when the last ends (a closed model). */
export interface ConstantVusConfig {
  executor: 'constant-vus';
  vus: number;
  duration: string;
  gracefulStop: string;
}

export type ExecutorConfig =
  | ConstantArrivalRateConfig
  | RampingArrivalRateConfig
  | ConstantVusConfig;
