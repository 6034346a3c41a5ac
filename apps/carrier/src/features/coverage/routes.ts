import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { readSettings } from '../settings/carrier-settings.ts';
import { coverageRegions, OUTSIDE_US, signals, usTerritories } from './coverage-map.ts';
import {
  addCoverageOverride,
  clearCoverageOverrides,
  removeCoverageOverride,
} from './coverage-overrides.ts';
import { currentCoverage } from './current-coverage.ts';
import { locationQuerySchema, locationSchema } from './location-schema.ts';

export const signalSchema = z.enum(signals).meta({ id: 'Signal' });

export const coverageSchema = z
  .object({ signal: signalSchema, region: z.string() })
  .meta({ id: 'Coverage' });

const overrideSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    center: locationSchema,
    radiusKm: z.number(),
    signal: signalSchema,
  })
  .meta({ id: 'CoverageOverride' });

const newOverrideSchema = z.strictObject({
  name: z
    .string({ error: 'name must be a string naming the gap, e.g. "tunnel"' })
    .trim()
    .min(1, 'name must not be empty')
    .max(100, 'name must be at most 100 characters'),
  center: locationSchema,
  radiusKm: z
    .number({ error: 'radiusKm must be a number of kilometres' })
    .positive('radiusKm must be greater than 0')
    // Half the Earth's circumference: a circle that large already covers everything.
    .max(20_038, 'radiusKm must be at most 20038 (half the Earth around)'),
  signal: z.enum(signals, { error: 'signal must be one of "none", "weak", "good"' }),
});

const areaSchema = z.union([
  z.object({ kind: z.literal('circle'), center: locationSchema, radiusKm: z.number() }),
  z.object({
    kind: z.literal('box'),
    south: z.number(),
    west: z.number(),
    north: z.number(),
    east: z.number(),
  }),
  z.object({ kind: z.literal('polygon'), vertices: z.array(z.tuple([z.number(), z.number()])) }),
]);

const regionSchema = z.object({
  id: z.string(),
  name: z.string(),
  signal: signalSchema,
  areas: z.array(areaSchema),
});

const notFoundSchema = { description: 'No such override', schema: problemSchema };
const invalidSchema = { description: 'Invalid input', schema: problemSchema };

export const coverageRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/coverage',
    operationId: 'getCoverage',
    summary: "The carrier's signal at a point",
    tag: 'Coverage',
    access: 'api-key',
    query: locationQuerySchema,
    responses: {
      200: { description: 'The signal and the region that decided it', schema: coverageSchema },
      400: invalidSchema,
    },
    async handle({ query }, context) {
      const coverage = await context.store.transaction((tx) => currentCoverage(tx, context, query));
      return { status: 200, body: coverage };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/_sim/coverage',
    operationId: 'getCoverageMap',
    summary: "The carrier's coverage map and the overrides on top of it",
    tag: 'Simulation',
    access: 'control-plane',
    responses: {
      200: {
        description:
          'Overrides win (newest first), then the first named region containing the point, then its territory; elsewhere `outside-us`',
        schema: z.object({
          carrier: z.string(),
          overrides: z.array(overrideSchema),
          regions: z.array(regionSchema),
          territories: z.array(regionSchema),
          outside: coverageSchema,
        }),
      },
    },
    async handle(_input, context) {
      const { coverageOverrides } = await context.store.transaction((tx) =>
        readSettings(tx, context),
      );
      const carrier = context.profile.id;
      const onThisCarrier = (regions: typeof coverageRegions) =>
        regions.flatMap((region) => {
          const signal = region.signal[carrier];
          return signal === undefined
            ? []
            : [{ id: region.id, name: region.name, signal, areas: region.areas }];
        });
      return {
        status: 200,
        body: {
          carrier,
          overrides: coverageOverrides,
          regions: onThisCarrier(coverageRegions),
          territories: onThisCarrier(usTerritories),
          outside: OUTSIDE_US,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/_sim/coverage/overrides',
    operationId: 'addCoverageOverride',
    summary: 'Override the signal inside a circle (e.g. to create a coverage gap)',
    tag: 'Simulation',
    access: 'control-plane',
    body: newOverrideSchema,
    responses: { 201: { description: 'The override', schema: overrideSchema }, 400: invalidSchema },
    async handle({ body }, context) {
      const override = await context.store.transaction((tx) =>
        addCoverageOverride(tx, context, body),
      );
      return { status: 201, body: override };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/_sim/coverage/overrides/{id}',
    operationId: 'removeCoverageOverride',
    summary: 'Remove one coverage override',
    tag: 'Simulation',
    access: 'control-plane',
    params: z.object({ id: z.string() }),
    responses: { 204: { description: 'Removed' }, 404: notFoundSchema },
    async handle({ params }, context) {
      await context.store.transaction((tx) => removeCoverageOverride(tx, context, params.id));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/_sim/coverage/overrides',
    operationId: 'clearCoverageOverrides',
    summary: 'Remove every coverage override, back to the built-in map',
    tag: 'Simulation',
    access: 'control-plane',
    responses: {
      200: {
        description: 'How many overrides were removed',
        schema: z.object({ deleted: z.number().int() }),
      },
    },
    async handle(_input, context) {
      const deleted = await context.store.transaction((tx) => clearCoverageOverrides(tx, context));
      return { status: 200, body: { deleted } };
    },
  }),
];
