/**
 * Benchmark (5): `@esimlab/faults/proxy` with no rule, in front of the bare node:http echo
 * (argv[2], `host:port`), so what it adds is the proxy's own cost and nothing else.
 */
import { startFaultProxy } from '@esimlab/faults/proxy';
import type { ListeningMessage } from '../internal/server-process.ts';

const upstream = process.argv[2];
if (upstream === undefined) {
  process.stderr.write('usage: fault-proxy-pass-through.ts <upstream host:port>\n');
  process.exit(2);
}
const proxy = await startFaultProxy({ upstream, rules: [] });
const message: ListeningMessage = {
  type: 'listening',
  port: Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1)),
};
process.send?.(message);
const stop = () => void proxy.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('disconnect', stop);
