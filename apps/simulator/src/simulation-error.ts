export type SimulationErrorCode =
  | 'simulation_stalled'
  | 'simulation_reentered'
  | 'simulation_step_limit'
  | 'carrier_crashed'
  | 'carrier_unavailable'
  | 'invalid_run_options';

/**
 * A simulation that cannot go on: the work being driven waits for something no timer will
 * ever bring, it was driven twice at once, or it was configured wrongly. Never a finding
 * about the carrier or the client: those are violations in the run's verdict.
 */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  readonly code: SimulationErrorCode;

  constructor(code: SimulationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
