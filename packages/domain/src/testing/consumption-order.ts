import fc from 'fast-check';
import { type BucketKind, bucketKinds } from '../catalog/data-rules.ts';

/** Any consumption order a carrier may choose: every kind once, `boost` after `base`. */
export const consumptionOrderArbitrary: fc.Arbitrary<readonly BucketKind[]> = fc
  .shuffledSubarray([...bucketKinds], { minLength: bucketKinds.length })
  .map((order) => {
    const base = order.indexOf('base');
    const boost = order.indexOf('boost');
    if (boost < base) {
      order[base] = 'boost';
      order[boost] = 'base';
    }
    return order;
  });

/** Fictional but Luhn-valid US ICCIDs for generated histories. */
export const testIccids = [
  '8901260000000000014',
  '8901260000000000022',
  '8901260000000000030',
  '8901260000000000048',
] as const;
