import type { ApiStyle } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { readSettings } from '../settings/carrier-settings.ts';

/**
 * How this carrier makes retries safe right now (`PATCH /_sim/config` switches it at run
 * time), read inside the caller's transaction so a request sees one consistent style.
 */
export async function readApiStyle(
  tx: StoreTx,
  context: Pick<CarrierContext, 'profile'>,
): Promise<ApiStyle> {
  return (await readSettings(tx, context)).apiStyle;
}
