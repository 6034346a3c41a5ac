import { parseEid, profileStates } from '@esimlab/domain';
import { z } from 'zod';
import { invalidRequest } from '../../http/problem.ts';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { devices } from '../../persistence/collections.ts';
import { locationSchema } from '../coverage/location-schema.ts';
import { faultDeviceOperation } from '../faults/device-faults.ts';
import { changeDevice, createDevice, findDevice } from './device-registry.ts';
import { deviceSchema, deviceView } from './device-view.ts';
import { applyProfileAction, type ProfileAction, profileActions } from './profile-actions.ts';

/** An EID checked with the domain parser, so the 400 names the rule it breaks. */
export const eidSchema = z
  .string({ error: 'eid must be a string of 32 digits' })
  .superRefine((value, ctx) => {
    const parsed = parseEid(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
  })
  .meta({ description: 'eUICC identifier: 32 digits, ISO 7064 mod 97-10 check digits' });

const wifiSchema = z.boolean({ error: 'wifi must be true or false' });

const newDeviceSchema = z.strictObject({
  eid: eidSchema.optional(),
  location: locationSchema,
  wifi: wifiSchema,
});

const deviceChangeSchema = z.strictObject({
  location: locationSchema.optional(),
  wifi: wifiSchema.optional(),
});

const eidParams = z.object({ eid: z.string() });
const profileParams = z.object({ eid: z.string(), iccid: z.string() });

const problems = {
  400: { description: 'Invalid input', schema: problemSchema },
  404: { description: 'No such device', schema: problemSchema },
};

const profileActionRoute = (action: ProfileAction) =>
  defineRoute({
    method: 'post',
    path: `/_sim/devices/{eid}/profiles/{iccid}/${action}`,
    operationId: `${action}DeviceProfile`,
    summary: `${action[0]?.toUpperCase()}${action.slice(1)} a profile on the device, as its user would (ES10c)`,
    tag: 'Simulation',
    access: 'control-plane',
    params: profileParams,
    responses: {
      200: {
        description: 'The profile state after the action',
        schema: z.object({ iccid: z.string(), eid: z.string(), state: z.enum(profileStates) }),
      },
      404: { description: 'No such device, or the eSIM is not on it', schema: problemSchema },
      409: { description: 'The profile state does not allow this', schema: problemSchema },
    },
    async handle({ params }, context) {
      await faultDeviceOperation(context, params.eid, 'profile-switch');
      const esim = await context.store.transaction((tx) =>
        applyProfileAction(tx, context, params, action),
      );
      return {
        status: 200,
        body: { iccid: esim.iccid, eid: params.eid, state: esim.profile.state },
      };
    },
  });

export const deviceRoutes = [
  defineRoute({
    method: 'post',
    path: '/_sim/devices',
    operationId: 'createDevice',
    summary: 'Create a simulated phone at a place, with wifi on or off',
    tag: 'Simulation',
    access: 'control-plane',
    body: newDeviceSchema,
    responses: {
      201: { description: 'The device', schema: deviceSchema },
      400: problems[400],
      409: { description: 'A device with this EID exists', schema: problemSchema },
    },
    async handle({ body }, context) {
      const view = await context.store.transaction(async (tx) =>
        deviceView(tx, context, await createDevice(tx, context, body)),
      );
      return { status: 201, body: view };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/_sim/devices',
    operationId: 'listDevices',
    summary: 'Every simulated phone, oldest first',
    tag: 'Simulation',
    access: 'control-plane',
    responses: {
      200: { description: 'The devices', schema: z.object({ data: z.array(deviceSchema) }) },
    },
    async handle(_input, context) {
      const data = await context.store.transaction(async (tx) => {
        const all = await tx.find(devices, {}, { orderBy: 'createdAt' });
        const views = [];
        for (const device of all) views.push(await deviceView(tx, context, device));
        return views;
      });
      return { status: 200, body: { data } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/_sim/devices/{eid}',
    operationId: 'getDevice',
    summary: 'A simulated phone: place, wifi, signal and eSIM profiles',
    tag: 'Simulation',
    access: 'control-plane',
    params: eidParams,
    responses: { 200: { description: 'The device', schema: deviceSchema }, 404: problems[404] },
    async handle({ params }, context) {
      const view = await context.store.transaction(async (tx) =>
        deviceView(tx, context, await findDevice(tx, params.eid)),
      );
      return { status: 200, body: view };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/_sim/devices/{eid}',
    operationId: 'updateDevice',
    summary: 'Move a simulated phone and/or turn its wifi on or off',
    tag: 'Simulation',
    access: 'control-plane',
    params: eidParams,
    body: deviceChangeSchema,
    responses: {
      200: { description: 'The device', schema: deviceSchema },
      ...problems,
    },
    async handle({ params, body }, context) {
      if (body.location === undefined && body.wifi === undefined) {
        throw invalidRequest('send `location` and/or `wifi` to change; the body changed nothing');
      }
      const view = await context.store.transaction(async (tx) =>
        deviceView(tx, context, await changeDevice(tx, context, params.eid, body)),
      );
      return { status: 200, body: view };
    },
  }),
  ...profileActions.map(profileActionRoute),
];
