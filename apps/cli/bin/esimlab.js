#!/usr/bin/env node
// Runs the TypeScript entry point in this same process through tsx's hooks, so the CLI needs
// no build step and SIGINT/SIGTERM reach `esimlab up` and `esimlab proxy` directly (a
// wrapper process would have to forward them).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
