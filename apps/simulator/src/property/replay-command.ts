import { testPaymentMethods } from '../model/payment-methods.ts';
import { supportedFaultKinds } from '../model/simulation-commands.ts';
import { addonKinds } from '../model/simulation-model.ts';
import { carrierOfStyle, type ResolvedRunOptions } from '../run-options.ts';

/** Where a failing property can be replayed from: fast-check's seed and path, and the commands' replay path. */
export interface ReplayPoint {
  readonly seed: number;
  readonly path: string;
  /** `fc.commands`' own hint: which generated commands ran (their `check` held). */
  readonly replayPath?: string;
}

/**
 * The one-line command that replays a failing run: the run's options by name (only those
 * that differ from the defaults), then where fast-check found it.
 */
export function replayCommandOf(run: ResolvedRunOptions, point: ReplayPoint): string {
  const args = ['pnpm --filter @esimlab/simulator replay', `--style ${run.apiStyle}`];
  if (run.carrier !== carrierOfStyle(run.apiStyle)) args.push(`--carrier ${run.carrier}`);
  if (run.strategy.name !== run.apiStyle) args.push(`--strategy ${run.strategy.name}`);
  if (run.carrierBuild.name !== 'standard') args.push(`--carrier-build ${run.carrierBuild.name}`);
  if (!run.receiverDedupe) args.push('--receiver applies-duplicates');
  if (!sameSet(run.faultKinds, supportedFaultKinds)) {
    args.push(`--faults ${run.faultKinds.length === 0 ? 'none' : run.faultKinds.join(',')}`);
  }
  if (!sameSet(run.paymentMethods, testPaymentMethods)) {
    args.push(`--cards ${run.paymentMethods.join(',')}`);
  }
  if (!sameSet(run.addonKinds, addonKinds)) args.push(`--addons ${run.addonKinds.join(',')}`);
  if (Object.keys(run.retry).length > 0) args.push(`--retry '${JSON.stringify(run.retry)}'`);
  args.push(`--seed ${point.seed}`, `--path "${point.path}"`);
  if (point.replayPath !== undefined) args.push(`--replay-path "${point.replayPath}"`);
  return args.join(' ');
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));
