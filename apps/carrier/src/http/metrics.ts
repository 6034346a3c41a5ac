import { Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one carrier, on a registry of its own (never the global one). */
export interface CarrierMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly requestSeconds: Histogram<'method' | 'route'>;
  readonly charges: Counter<'purpose' | 'outcome'>;
}

export function createMetrics(carrier: string): CarrierMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ carrier });
  return {
    registry,
    requests: new Counter({
      name: 'esimlab_http_requests_total',
      help: 'HTTP requests answered, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'esimlab_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    charges: new Counter({
      name: 'esimlab_gateway_charges_total',
      help: 'Payment attempts at the mock gateway, by purpose and outcome',
      labelNames: ['purpose', 'outcome'],
      registers: [registry],
    }),
  };
}
