import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { crashPoints } from '../../runtime/crash-points.ts';

const crashPointsSchema = z
  .object({ armed: z.array(z.enum(crashPoints)) })
  .meta({ id: 'CrashPoints' });

export const crashPointRoutes = [
  defineRoute({
    method: 'post',
    path: '/_sim/crash-points',
    operationId: 'armCrashPoint',
    summary:
      'Arms a saga crash point: the carrier process exits there once (the launcher restarts it and recovery finishes the payment)',
    tag: 'Control plane',
    access: 'control-plane',
    body: z.strictObject({ point: z.enum(crashPoints) }),
    responses: { 200: { description: 'The armed crash points', schema: crashPointsSchema } },
    async handle({ body }, context) {
      context.crashPoints.arm(body.point);
      return { status: 200, body: { armed: context.crashPoints.armed() } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/_sim/crash-points',
    operationId: 'listCrashPoints',
    summary: 'The crash points armed in this carrier process',
    tag: 'Control plane',
    access: 'control-plane',
    responses: { 200: { description: 'The armed crash points', schema: crashPointsSchema } },
    async handle(_input, context) {
      return { status: 200, body: { armed: context.crashPoints.armed() } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/_sim/crash-points',
    operationId: 'disarmCrashPoints',
    summary: 'Disarms every crash point',
    tag: 'Control plane',
    access: 'control-plane',
    responses: { 200: { description: 'Nothing armed', schema: crashPointsSchema } },
    async handle(_input, context) {
      context.crashPoints.disarmAll();
      return { status: 200, body: { armed: [] } };
    },
  }),
];
