import { StoreClosedError } from '@esimlab/store';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CarrierContext } from '../app/carrier-context.ts';
import { problemFor } from './router.ts';

describe('problemFor', () => {
  it('answers a store closed under a request by a stopping carrier with a retryable 503, logging nothing', () => {
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(line) });
    const context = { logger } as unknown as CarrierContext;

    const problem = problemFor(new StoreClosedError(), context, 'POST', '/v1/esims');

    expect(problem.status).toBe(503);
    expect(problem.code).toBe('carrier_stopping');
    expect(problem.headers).toEqual({ 'Retry-After': '1' });
    expect(logged).toEqual([]);
  });
});
