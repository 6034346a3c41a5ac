import { carrierOutage } from './carrier-outage.ts';
import type { FaultPreset } from './fault-preset.ts';
import { flakyMobile } from './flaky-mobile.ts';
import { paymentGatewaySlow } from './payment-gateway-slow.ts';
import { remoteArea } from './remote-area.ts';

/** Every preset by name, in the order the docs list them. */
export const faultPresets = {
  'flaky-mobile': flakyMobile,
  'carrier-outage': carrierOutage,
  'remote-area': remoteArea,
  'payment-gateway-slow': paymentGatewaySlow,
} as const satisfies Record<string, FaultPreset>;

export type FaultPresetName = keyof typeof faultPresets;

export const faultPresetNames = Object.keys(faultPresets) as FaultPresetName[];

export const isFaultPresetName = (name: string): name is FaultPresetName =>
  Object.hasOwn(faultPresets, name);
