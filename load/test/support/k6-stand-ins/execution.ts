// A stand-in for a k6 runtime module, which exists only inside the k6 binary; vitest.config.ts
// maps the k6 script's imports here so tests can load load/recharge.ts in Node.
import { k6StandInState } from './state.ts';

/** `k6/execution`: the iteration number the test sets, and the failures `test.fail` records. */
const exec = {
  scenario: {
    name: 'steady',
    get iterationInTest() {
      return k6StandInState().iterationInTest;
    },
  },
  test: {
    fail(message?: string) {
      k6StandInState().failures.push(message ?? '');
    },
    abort(message?: string) {
      throw new Error(`test aborted: ${message ?? ''}`);
    },
  },
};

export default exec;
