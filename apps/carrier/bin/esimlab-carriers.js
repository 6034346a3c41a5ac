#!/usr/bin/env node
// Runs the TypeScript entry point in this same process through tsx's hooks, so the carriers
// need no build step and SIGTERM/SIGINT reach the supervisor directly (a wrapper process
// would have to forward them).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
