import { toIso } from '@esimlab/domain';
import { z } from 'zod';
import { pageOf } from '../../http/page-query.ts';
import { defineRoute } from '../../http/route.ts';
import { isoTime } from '../../http/schemas.ts';
import type { EventRecord } from '../../persistence/collections.ts';
import { JOURNAL_LIMIT, JOURNAL_TRIM_EVERY, journalPage } from '../events/journal.ts';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

const eventSchema = z
  .object({
    id: z.string(),
    seq: z.number().int().meta({
      description:
        'Position in the journal: increases from event to event, with gaps where a request rolled back, and keeps increasing across resets. With replicas it follows the order numbers were taken, which may differ from the order of commit: page after the writes, not during them',
    }),
    at: isoTime,
    type: z.string().meta({ example: 'esim.expired' }),
    tenantId: z.string().optional(),
    iccid: z.string().optional(),
    eid: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'JournalEvent' });

const filter = (what: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .optional()
    .meta({ description: `Only events ${what}` });

const eventQuerySchema = z.strictObject({
  type: filter('of this type'),
  iccid: filter('about this eSIM'),
  eid: filter('about this device'),
  tenantId: filter('of this tenant'),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'A cursor: `nextCursor` of the previous page, or a `seq`' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(DEFAULT_PAGE)
    .meta({ description: `Page size, 1..${MAX_PAGE}` }),
});

const eventView = (event: EventRecord): z.infer<typeof eventSchema> => ({
  id: event.id,
  seq: event.seq,
  at: toIso(event.at),
  type: event.type,
  ...(event.tenantId === undefined ? {} : { tenantId: event.tenantId }),
  ...(event.iccid === undefined ? {} : { iccid: event.iccid }),
  ...(event.eid === undefined ? {} : { eid: event.eid }),
  data: { ...event.data },
});

export const journalRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/events',
    operationId: 'listEvents',
    summary: `The journal of state changes, oldest first (about the newest ${JOURNAL_LIMIT} are kept: it is trimmed every ${JOURNAL_TRIM_EVERY} events)`,
    tag: 'Control plane',
    access: 'control-plane',
    query: eventQuerySchema,
    responses: {
      200: {
        description: 'One page of events; pass `nextCursor` as `after` for the next one',
        schema: z.object({
          data: z.array(eventSchema),
          nextCursor: z.string().nullable(),
        }),
      },
    },
    async handle({ query }, context) {
      const page = await context.store.transaction((tx) =>
        journalPage(
          tx,
          {
            ...(query.type === undefined ? {} : { type: query.type }),
            ...(query.iccid === undefined ? {} : { iccid: query.iccid }),
            ...(query.eid === undefined ? {} : { eid: query.eid }),
            ...(query.tenantId === undefined ? {} : { tenantId: query.tenantId }),
          },
          {
            ...(query.after === undefined ? {} : { after: query.after }),
            limit: query.limit + 1,
          },
        ),
      );
      const { shown, nextCursor } = pageOf(page, query.limit, (last) => String(last.seq));
      return { status: 200, body: { data: shown.map(eventView), nextCursor } };
    },
  }),
];
