import type { Location, Signal } from './coverage.ts';
import type { ProfileState } from './esim.ts';

/** `POST /_sim/devices`: a simulated phone. */
export interface DeviceInput {
  /** Default: a generated valid EID. */
  readonly eid?: string;
  readonly location: Location;
  readonly wifi: boolean;
}

/** `PATCH /_sim/devices/{eid}`: move the phone and/or switch its wifi. */
export interface DeviceUpdate {
  readonly location?: Location;
  readonly wifi?: boolean;
}

export interface DeviceProfile {
  readonly iccid: string;
  readonly state: ProfileState;
}

export interface Device {
  readonly eid: string;
  readonly location: Location;
  readonly wifi: boolean;
  readonly signal: Signal;
  readonly region: string;
  readonly profiles: readonly DeviceProfile[];
  readonly createdAt: string;
}

/** What a user can do to a profile on the phone (ES10c). */
export type ProfileAction = 'enable' | 'disable' | 'delete';

export interface ProfileActionResult {
  readonly iccid: string;
  readonly eid: string;
  readonly state: ProfileState;
}

/** `POST /_sim/devices/{eid}/usage`: the phone uses data. */
export interface DataUseInput {
  readonly bytes: number;
  /** Default: the most recently activated enabled profile. */
  readonly iccid?: string;
}

export interface DataUse {
  readonly iccid: string;
  readonly requestedBytes: number;
  readonly consumedBytes: number;
  readonly dataRemainingBytes: number;
  readonly dataUsedBytes: number;
  readonly throttled: boolean;
}
