import { describe, expect, it } from 'vitest';
import { settledBy } from './deadline.ts';
import { RequestsInFlight } from './requests-in-flight.ts';

const deferred = () => {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('RequestsInFlight', () => {
  it('is idle once every handler has settled, whether it answered or threw', async () => {
    const requests = new RequestsInFlight();
    expect(await settledBy(requests.idle(), Date.now())).toBe(true);
    const answers = deferred();
    const throws = deferred();
    const answered = requests.track(() => answers.promise);
    const failed = requests.track(() => throws.promise).catch((error: Error) => error.message);
    expect(requests.running).toBe(2);
    const idle = requests.idle();

    answers.resolve();
    await answered;
    expect(requests.running).toBe(1);
    expect(await settledBy(idle, Date.now() + 20)).toBe(false);

    throws.reject(new Error('refused'));
    expect(await failed).toBe('refused');
    expect(requests.running).toBe(0);
    expect(await settledBy(idle, Date.now() + 1000)).toBe(true);
  });

  it('counts a handler that throws before it awaits anything, and lets it go', async () => {
    const requests = new RequestsInFlight();
    await expect(
      requests.track(() => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');
    expect(requests.running).toBe(0);
  });
});
