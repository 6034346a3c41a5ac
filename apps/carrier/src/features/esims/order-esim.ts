import {
  type Balance,
  type BasePlan,
  findPlan,
  formatActivationCode,
  generateIccid,
  generateImsi,
  generateMatchingId,
  generateMsisdn,
  parseEid,
  parseTimeZone,
  placeOrder,
  randomDigits,
  toIso,
} from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import { UniqueViolationError } from '@esimlab/store';
import { z } from 'zod';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { IdempotentResource } from '../../http/idempotency.ts';
import { invalidRequest, ProblemError } from '../../http/problem.ts';
import { type EsimRecord, esims, type Subscriber } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { authorizeCharge, requireApproval } from '../gateway/authorize-charge.ts';
import { insertAuthorizedCharge } from '../gateway/charge-settlement.ts';
import { paymentMethodSchema } from '../gateway/payment-methods.ts';
import { balanceNow } from '../ledger/esim-ledger.ts';

/** A field checked by a domain parser, so the API and the domain agree on what is valid. */
function parsedBy<T>(
  parse: (value: string) => { ok: true; value: T } | { ok: false; error: { message: string } },
) {
  return z.string().transform((value, ctx): T => {
    const parsed = parse(value);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.error.message });
    return z.NEVER;
  });
}

export const subscriberSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
    timeZone: parsedBy((v) => parseTimeZone(v, 'timeZone')).meta({
      description: 'IANA time zone: validity and expiry follow its local days',
      example: 'America/New_York',
    }),
  })
  .meta({ id: 'Subscriber' });

export const esimOrderSchema = z
  .strictObject({
    planId: z.string().min(1).max(200).meta({ description: 'A base plan of this carrier' }),
    paymentMethod: paymentMethodSchema,
    subscriber: subscriberSchema,
    eid: parsedBy((v) => parseEid(v, 'eid'))
      .optional()
      .meta({
        description: 'Binds the profile to this device (32 digits, mod 97 == 1)',
        pattern: '^[0-9]{32}$',
        example: '89882119900000000000000000001654',
      }),
  })
  .meta({ id: 'EsimOrder' });

export type EsimOrderBody = z.infer<typeof esimOrderSchema>;

export interface EsimOrder {
  readonly tenantId: string;
  readonly planId: string;
  readonly paymentMethod: string;
  readonly subscriber: Subscriber;
  readonly eid?: string;
  /** Recorded on the order's charge when the request carried one. */
  readonly idempotencyKey?: string;
  /** The key's claim: the order names its eSIM to it in the same transaction (crash recovery). */
  readonly claim?: { attach(tx: StoreTx, resource: IdempotentResource): Promise<void> };
  /** The request's base URL, kept with the claim so a recovered reply has the same qrCodeUrl. */
  readonly baseUrl?: string;
}

export interface PlacedOrder {
  readonly esim: EsimRecord;
  /** Only when the plan requires one: it is shown once and never stored outside the profile. */
  readonly confirmationCode?: string;
  /** The new eSIM's balance: nothing until its profile is first enabled. */
  readonly balance: Balance;
}

/** A base plan of this carrier, or 422 `plan_not_found` saying where the plan is sold. */
export function requireBasePlan(context: CarrierContext, planId: string): BasePlan {
  const found = findPlan(context.profile.id, planId, 'base');
  if (!found.ok) {
    throw new ProblemError(422, 'plan_not_found', found.error.message, {
      extensions: { errors: [{ field: 'body.planId', message: found.error.message }] },
    });
  }
  return found.value;
}

const CONFIRMATION_CODE_DIGITS = 6;
const QR_TOKEN_BYTES = 18;
// Identifier collisions are rare (about 10^12 ICCIDs); a few fresh draws always suffice.
const MAX_IDENTIFIER_ATTEMPTS = 8;

/**
 * Orders an eSIM: validates the order, authorizes the plan's price (declines are 402 and
 * write nothing), then in one transaction allocates unique identifiers, the released
 * profile, the authorized charge and the `esim.ordered` event. The charge is captured when
 * the profile is first enabled (`fulfilOrder`). Used by `POST /v1/esims` and the seeder.
 */
export async function orderEsim(context: CarrierContext, order: EsimOrder): Promise<PlacedOrder> {
  const body = validateOrder(order);
  const plan = requireBasePlan(context, body.planId);
  const confirmationCode = plan.confirmationCodeRequired
    ? randomDigits(context.random, CONFIRMATION_CODE_DIGITS)
    : undefined;

  let identifiers = newIdentifiers(context);
  const approval = requireApproval(
    await authorizeCharge(context, {
      tenantId: order.tenantId,
      iccid: identifiers.iccid,
      amount: plan.price,
      purpose: { kind: 'order', ref: identifiers.iccid },
      paymentMethod: body.paymentMethod,
      ...(order.idempotencyKey === undefined ? {} : { idempotencyKey: order.idempotencyKey }),
    }),
  );

  for (let attempt = 1; ; attempt++) {
    const { iccid } = identifiers;
    try {
      return await context.store.transaction(async (tx) => {
        const charge = await insertAuthorizedCharge(tx, context, {
          ...approval,
          request: { ...approval.request, iccid, purpose: { kind: 'order', ref: iccid } },
        });
        // The order and its authorization are one moment: one timestamp for both.
        const now = charge.createdAt;
        const esim: EsimRecord = {
          iccid,
          tenantId: order.tenantId,
          msisdn: identifiers.msisdn,
          imsi: identifiers.imsi,
          ...(body.eid === undefined ? {} : { eid: body.eid }),
          planId: plan.id,
          profile: placeOrder({
            ...(body.eid === undefined ? {} : { eid: body.eid }),
            ...(confirmationCode === undefined ? {} : { confirmationCode }),
          }),
          status: 'active',
          activationCode: formatActivationCode({
            smdpAddress: context.profile.smdpAddress,
            matchingId: identifiers.matchingId,
            confirmationCodeRequired: plan.confirmationCodeRequired,
          }),
          matchingId: identifiers.matchingId,
          confirmationCodeRequired: plan.confirmationCodeRequired,
          subscriber: body.subscriber,
          paymentMethod: body.paymentMethod,
          autoRenew: plan.autoRenewable,
          qrToken: identifiers.qrToken,
          createdAt: now,
          chargeId: charge.id,
        };
        await tx.insert(esims, esim);
        await order.claim?.attach(tx, {
          kind: 'esim',
          id: iccid,
          ...(order.baseUrl === undefined ? {} : { meta: { baseUrl: order.baseUrl } }),
        });
        await recordEvent(tx, context, {
          type: 'esim.ordered',
          tenantId: esim.tenantId,
          iccid,
          ...(esim.eid === undefined ? {} : { eid: esim.eid }),
          data: {
            planId: plan.id,
            chargeId: charge.id,
            amount: plan.price,
            msisdn: esim.msisdn,
            createdAt: toIso(now),
          },
        });
        const balance = await balanceNow(tx, context, iccid);
        return { esim, balance, ...(confirmationCode === undefined ? {} : { confirmationCode }) };
      });
    } catch (error) {
      if (!(error instanceof UniqueViolationError) || attempt >= MAX_IDENTIFIER_ATTEMPTS)
        throw error;
      identifiers = newIdentifiers(context);
    }
  }
}

interface NewIdentifiers {
  readonly iccid: string;
  readonly imsi: string;
  readonly msisdn: string;
  readonly matchingId: string;
  readonly qrToken: string;
}

function newIdentifiers(context: CarrierContext): NewIdentifiers {
  const { profile } = context;
  return {
    iccid: generateIccid(context.random, { issuerId: profile.iccidIssuerId }),
    imsi: generateImsi(context.random, { mcc: profile.mcc, mnc: profile.mnc }),
    // Always the fictional 555-01XX block: no real person is ever dialled.
    msisdn: generateMsisdn(context.random),
    matchingId: generateMatchingId(context.random),
    qrToken: context.secrets.token(QR_TOKEN_BYTES),
  };
}

/** The same checks as the HTTP schema, for callers that do not come through the router. */
function validateOrder(order: EsimOrder): EsimOrderBody {
  const parsed = esimOrderSchema.safeParse({
    planId: order.planId,
    paymentMethod: order.paymentMethod,
    subscriber: order.subscriber,
    ...(order.eid === undefined ? {} : { eid: order.eid }),
  });
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  throw invalidRequest(first ? `${first.field}: ${first.message}` : 'the order is invalid', errors);
}
