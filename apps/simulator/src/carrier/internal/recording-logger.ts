import type { CarrierAppOptions } from '@esimlab/carrier';

type CarrierLogger = NonNullable<CarrierAppOptions['logger']>;

const ignore = (): void => undefined;

/**
 * A logger that drops everything but errors, which it hands to `onError`: a carrier logs an
 * error only for a bug (an unhandled error behind a 500, a failed background task), and a
 * simulation must report those, not lose them.
 *
 * Not pino: its default opens a flushing stream per logger, which costs more than a whole
 * simulated run once processes start thousands of times; the carrier only calls the level
 * methods, so plain functions stand in for them.
 */
export function recordingLogger(onError: (message: string) => void): CarrierLogger {
  const record = (first: unknown, message?: unknown): void => {
    const err = (first as { err?: unknown } | null)?.err;
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : undefined;
    onError(
      [typeof message === 'string' ? message : String(first), detail].filter(Boolean).join(': '),
    );
  };
  const logger: Record<string, unknown> = {
    level: 'error',
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: record,
    fatal: record,
    silent: ignore,
    isLevelEnabled: (level: string) => level === 'error' || level === 'fatal',
  };
  logger.child = () => logger;
  return logger as unknown as CarrierLogger;
}
