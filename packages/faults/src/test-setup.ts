import fc from 'fast-check';

// At least 1,000 runs per property unless FC_NUM_RUNS asks for more (or fewer, locally).
fc.configureGlobal({
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
});
