// A stand-in for a k6 runtime module, which exists only inside the k6 binary; vitest.config.ts
// maps the k6 script's imports here so tests can load load/recharge.ts in Node.
/** `k6/timers`. */
export const setTimeout = globalThis.setTimeout;
export const clearTimeout = globalThis.clearTimeout;
