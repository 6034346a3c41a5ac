import {
  bucketKinds,
  chargePurposeKinds,
  creditSourceKinds,
  type LedgerEntry,
  toIso,
} from '@esimlab/domain';
import { z } from 'zod';
import { jsonListReply } from '../../http/json-list.ts';
import {
  pageLimitSchema,
  pageOf,
  pageSizeOf,
  sequenceCursorSchema,
} from '../../http/page-query.ts';
import { defineRoute } from '../../http/route.ts';
import { isoTime, moneySchema, problemSchema } from '../../http/schemas.ts';
import { iccidSchema } from '../esims/esim-lookup.ts';
import { ledgerPage } from './esim-ledger.ts';

const MAX_PAGE = 10_000;

const common = { id: z.string(), at: isoTime, iccid: z.string() };
const chargeStep = <T extends string>(type: T) =>
  z.object({ ...common, type: z.literal(type), chargeId: z.string() });

const ledgerEntrySchema = z
  .discriminatedUnion('type', [
    z.object({
      ...common,
      type: z.literal('charge_authorized'),
      chargeId: z.string(),
      amount: moneySchema,
      purpose: z.object({ kind: z.enum(chargePurposeKinds), ref: z.string() }),
    }),
    chargeStep('charge_captured'),
    chargeStep('charge_voided'),
    chargeStep('charge_refunded'),
    z.object({
      ...common,
      type: z.literal('data_credited'),
      bucketId: z.string(),
      bucket: z.enum(bucketKinds),
      bytes: z.number().int(),
      expiresAt: isoTime.meta({ description: 'The bucket is usable while `at < expiresAt`' }),
      source: z.object({ kind: z.enum(creditSourceKinds), ref: z.string() }),
    }),
    z.object({ ...common, type: z.literal('data_consumed'), bytes: z.number().int() }),
    z.object({ ...common, type: z.literal('data_expired'), bucketId: z.string() }),
    z.object({
      ...common,
      type: z.literal('fee_assessed'),
      chargeId: z.string(),
      amount: moneySchema,
      ref: z.string(),
    }),
  ])
  .meta({ id: 'LedgerEntry' });

/** A ledger entry as the contract shows times: ISO 8601 UTC instead of epoch milliseconds. */
function ledgerEntryView(entry: LedgerEntry): z.infer<typeof ledgerEntrySchema> {
  const at = toIso(entry.at);
  return entry.type === 'data_credited'
    ? { ...entry, at, expiresAt: toIso(entry.expiresAt) }
    : { ...entry, at };
}

export const ledgerRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/ledger',
    operationId: 'listLedgerEntries',
    summary:
      "The carrier's append-only ledger (all tenants), in append order: charges, credits, usage, expiries, fees",
    tag: 'Control plane',
    access: 'control-plane',
    query: z.strictObject({
      iccid: iccidSchema.optional().meta({ description: 'Only the entries of this eSIM' }),
      limit: pageLimitSchema(
        MAX_PAGE,
        `Page size, 1 to ${MAX_PAGE}; without it or a cursor, every entry in one answer`,
      ),
      cursor: sequenceCursorSchema(),
    }),
    responses: {
      200: {
        description:
          "The entries, oldest first (every one, or a page with `limit`); an eSIM's balance is derived from its entries, never stored. With replicas, page after the writes, not during them: entries are numbered in the order their numbers were taken, which may differ from the order of commit",
        schema: z.object({
          data: z.array(ledgerEntrySchema),
          nextCursor: z.string().nullable().optional().meta({
            description:
              'Only in a page (`limit` or `cursor` given): pass it as `cursor` for the next page; null on the last one',
          }),
        }),
      },
      400: {
        description: 'A malformed ICCID, limit or cursor, or an unknown filter',
        schema: problemSchema,
      },
    },
    async handle({ query }, context) {
      const size = pageSizeOf(query, MAX_PAGE);
      const found = await context.store.transaction((tx) =>
        ledgerPage(tx, {
          ...(query.iccid === undefined ? {} : { iccid: query.iccid }),
          ...(query.cursor === undefined ? {} : { after: query.cursor }),
          ...(size === undefined ? {} : { limit: size + 1 }),
        }),
      );
      const page = pageOf(found, size, (last) => String(last.seq));
      return jsonListReply(
        page.shown.map((record) => record.entry),
        ledgerEntryView,
        page.nextCursor,
      );
    },
  }),
];
