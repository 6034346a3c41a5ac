import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { bytesOf, expectProblem } from '../internal/expect-problem.ts';
import { type ScenarioWorld, StepFailure } from '../scenario-world.ts';

// jsqr is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const jsQR = jsQRModule.default;

import type { StepOf } from '../../scenarios/scenario-schema.ts';

/** `device`: a simulated phone at a place, wifi on or off. */
export async function createDevice(world: ScenarioWorld, step: StepOf<'device'>): Promise<string> {
  const device = await world.client.sim.createDevice({ location: step.at, wifi: step.wifi });
  world.devices.set(step.as, { eid: device.eid });
  return `device ${step.as} at ${step.at.lat},${step.at.lon} (${device.signal} signal, wifi ${step.wifi ? 'on' : 'off'})`;
}

/** `activate`: the phone downloads the profile with the order's activation code. */
export async function activateEsim(
  world: ScenarioWorld,
  step: StepOf<'activate'>,
): Promise<string> {
  const esim = world.esim(step.esim);
  const { eid } = world.device(step.device);
  const confirmationCode = step.confirmationCode ?? esim.confirmationCode;
  const download = () =>
    world.client.lpaDownload({
      eid,
      activationCode: esim.activationCode,
      ...(confirmationCode === undefined ? {} : { confirmationCode }),
    });
  for (let attempt = 1; attempt <= step.times; attempt++) {
    if (step.error !== undefined) {
      await expectProblem(step.error, download).catch((error: unknown) => {
        if (error instanceof StepFailure)
          error.message = `download ${attempt} of ${step.times}: ${error.message}`;
        throw error;
      });
    } else {
      await download();
    }
  }
  const times = step.times > 1 ? ` ×${step.times}` : '';
  return `activate ${step.esim} on ${step.device}${times} → ${step.error ?? 'installed'}`;
}

/** `profile`: the phone's user enables, disables or deletes a profile. */
export async function changeProfile(
  world: ScenarioWorld,
  step: StepOf<'profile'>,
): Promise<string> {
  const { eid } = world.device(step.device);
  const esim = world.esim(step.esim);
  await world.client.sim.profileAction(eid, esim.iccid, step.action);
  return `${step.action} ${step.esim} on ${step.device}`;
}

/** `qr`: the eSIM's QR PNG must decode to exactly its activation code. */
export async function checkQrCode(world: ScenarioWorld, step: StepOf<'qr'>): Promise<string> {
  const esim = world.esim(step.esim);
  const png = PNG.sync.read(Buffer.from(await esim.client.esimQrPng(esim.iccid)));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (decoded === null) throw new StepFailure(`the QR PNG of ${step.esim} does not decode`);
  if (decoded.data !== esim.activationCode) {
    throw new StepFailure(
      `the QR code of ${step.esim} says "${decoded.data}"; its activation code is "${esim.activationCode}"`,
    );
  }
  return `qr ${step.esim} decodes to ${decoded.data}`;
}

/** `move`: the phone goes somewhere else, or its wifi goes on or off. */
export async function moveDevice(world: ScenarioWorld, step: StepOf<'move'>): Promise<string> {
  const { eid } = world.device(step.device);
  const patch = {
    ...(step.to === undefined ? {} : { location: step.to }),
    ...(step.wifi === undefined ? {} : { wifi: step.wifi }),
  };
  if (Object.keys(patch).length === 0) throw new StepFailure('move names neither `to` nor `wifi`');
  const device = await world.client.sim.updateDevice(eid, patch);
  return `move ${step.device}${step.to ? ` to ${step.to.lat},${step.to.lon}` : ''}${step.wifi === undefined ? '' : `, wifi ${step.wifi ? 'on' : 'off'}`} (${device.signal} signal)`;
}

/** `coverage`: the coverage map must show this signal at a point. */
export async function checkCoverage(
  world: ScenarioWorld,
  step: StepOf<'coverage'>,
): Promise<string> {
  const coverage = await world.client.coverage(step.at);
  if (coverage.signal !== step.signal) {
    throw new StepFailure(
      `expected ${step.signal} signal at ${step.at.lat},${step.at.lon}; the map says ${coverage.signal} (${coverage.region})`,
    );
  }
  return `coverage at ${step.at.lat},${step.at.lon} is ${coverage.signal} (${coverage.region})`;
}

/** `use`: the phone consumes data, drawn from its buckets in the carrier's order. */
export async function useData(world: ScenarioWorld, step: StepOf<'use'>): Promise<string> {
  const { eid } = world.device(step.device);
  const bytes = bytesOf(step.bytes);
  await world.client.sim.consumeData(eid, { bytes });
  return `use ${step.bytes} on ${step.device}`;
}
