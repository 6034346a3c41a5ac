import { describe, expect, it } from 'vitest';
import { NestedTransactionError, StoreClosedError } from '../errors.ts';
import { TransactionGate } from './transaction-gate.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe.each([true, false])('TransactionGate, detectNesting %s', (detectNesting) => {
  it('runs bodies one at a time, in call order', async () => {
    const gate = new TransactionGate({ detectNesting });
    const events: string[] = [];
    const body = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([gate.run(body('a')), gate.run(body('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('lets queued bodies finish on close, then refuses new ones', async () => {
    const gate = new TransactionGate({ detectNesting });
    const queued = gate.run(async () => {
      await tick();
      return 'done';
    });
    let released = false;
    const closing = gate.close(() => {
      released = true;
    });
    await expect(gate.run(async () => 'late')).rejects.toBeInstanceOf(StoreClosedError);
    expect(await queued).toBe('done');
    await closing;
    expect(released).toBe(true);
  });
});

describe('TransactionGate nesting', () => {
  it('refuses a call from inside a body when it detects nesting', async () => {
    const gate = new TransactionGate({ detectNesting: true });
    const inner = await gate.run(async () => {
      await tick();
      return gate.run(async () => 'inner ran').catch((error: unknown) => error);
    });
    expect(inner).toBeInstanceOf(NestedTransactionError);
  });

  it('queues a call from inside a body behind it when it does not', async () => {
    const gate = new TransactionGate({ detectNesting: false });
    const events: string[] = [];
    let inner: Promise<string> | undefined;
    await gate.run(async () => {
      // Not awaited: awaiting it here would wait on this body forever.
      inner = gate.run(async () => {
        events.push('inner');
        return 'inner ran';
      });
      await tick();
      events.push('outer end');
    });
    expect(await inner).toBe('inner ran');
    expect(events).toEqual(['outer end', 'inner']);
  });
});
