import { beforeAll, describe, expect, it } from 'vitest';
import type {
  CarrierConfig,
  CarrierConfigUpdate,
  Clock,
  Coverage,
  CoverageMap,
  CoverageOverride,
  CoverageOverrideInput,
  CoverageRegion,
  CrashPoints,
  CreatedTenant,
  CreatedWebhookEndpoint,
  DataUse,
  DataUseInput,
  Device,
  DeviceInput,
  DeviceProfile,
  DeviceUpdate,
  Esim,
  EsimBalance,
  EsimCancellation,
  EsimOrder,
  EsimPage,
  EsimUpdate,
  EsimUsage,
  FaultPlan,
  FaultRuleCounters,
  GatewayCharge,
  Health,
  JournalEvent,
  JournalPage,
  Location,
  Money,
  OpenApiDocument,
  Plan,
  Problem,
  ProfileActionResult,
  ProfileDownload,
  ProfileDownloadRequest,
  SeededSubscriber,
  SeedInput,
  Subscriber,
  Tenant,
  Topup,
  TopupRequest,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointInput,
} from '../../src/index.ts';
import { carrierClient } from '../support/carriers.ts';
import { compareFields, fieldsOf, type SchemaSite, schemaAt } from '../support/openapi-fields.ts';

const money = fieldsOf<Money>()({ amount: 'required', currency: 'required' });
const location = fieldsOf<Location>()({ lat: 'required', lon: 'required' });
const problem = fieldsOf<Problem>()({
  type: 'required',
  title: 'required',
  status: 'required',
  detail: 'required',
  code: 'required',
  instance: 'optional',
  requestId: 'optional',
  errors: 'optional',
});
const plan = fieldsOf<Plan>()({
  id: 'required',
  carrier: 'required',
  name: 'required',
  kind: 'required',
  addonKind: 'optional',
  dataBytes: 'required',
  validityDays: 'required',
  price: 'required',
  autoRenewable: 'required',
  minTermDays: 'required',
  earlyTerminationFee: 'required',
  confirmationCodeRequired: 'optional',
});
const esim = fieldsOf<Esim>()({
  iccid: 'required',
  msisdn: 'required',
  imsi: 'required',
  eid: 'required',
  state: 'required',
  status: 'required',
  planId: 'required',
  activationCode: 'required',
  confirmationCodeRequired: 'required',
  confirmationCode: 'optional',
  qrCodeUrl: 'required',
  balance: 'required',
  autoRenew: 'required',
  createdAt: 'required',
});
const topup = fieldsOf<Topup>()({
  id: 'required',
  iccid: 'required',
  planId: 'required',
  status: 'required',
  amount: 'required',
  dataBytes: 'required',
  bonusBytes: 'required',
  chargeId: 'required',
  clientReference: 'required',
  failureCode: 'optional',
  createdAt: 'required',
  completedAt: 'required',
});
const webhookEndpoint = fieldsOf<WebhookEndpoint>()({
  id: 'required',
  url: 'required',
  events: 'required',
  createdAt: 'required',
});
const webhookDelivery = fieldsOf<WebhookDelivery>()({
  id: 'required',
  eventId: 'required',
  type: 'required',
  status: 'required',
  attempts: 'required',
  nextAttemptAt: 'required',
  createdAt: 'required',
});
const device = fieldsOf<Device>()({
  eid: 'required',
  location: 'required',
  wifi: 'required',
  signal: 'required',
  region: 'required',
  profiles: 'required',
  createdAt: 'required',
});
const faultPlan = fieldsOf<FaultPlan>()({ seed: 'required', rules: 'required' });
const tenant = fieldsOf<Tenant>()({ id: 'required', name: 'required', createdAt: 'required' });
const config = fieldsOf<CarrierConfig>()({
  carrier: 'required',
  displayName: 'required',
  apiStyle: 'required',
  defaultApiStyle: 'required',
  timeZone: 'required',
  smdpAddress: 'required',
  adminTokenRequired: 'required',
  asyncCompletionMs: 'required',
  maxProcessingMs: 'required',
});
const coverageOverride = fieldsOf<CoverageOverride>()({
  id: 'required',
  name: 'required',
  center: 'required',
  radiusKm: 'required',
  signal: 'required',
});
const profileAction = fieldsOf<ProfileActionResult>()({
  iccid: 'required',
  eid: 'required',
  state: 'required',
});
const crashPoints = fieldsOf<CrashPoints>()({ armed: 'required' });

/** Each client type where the document describes it: an operation's response or request body. */
const table: readonly {
  readonly type: string;
  readonly site: SchemaSite;
  readonly at?: readonly string[];
  readonly fields: Readonly<Record<string, 'required' | 'optional'>>;
}[] = [
  {
    type: 'Health',
    site: { operationId: 'getHealth', response: '200' },
    fields: fieldsOf<Health>()({ status: 'required', carrier: 'required' }),
  },
  {
    type: 'Plan',
    site: { operationId: 'listPlans', response: '200' },
    at: ['data', '[]'],
    fields: plan,
  },
  {
    type: 'Money',
    site: { operationId: 'listPlans', response: '200' },
    at: ['data', '[]', 'price'],
    fields: money,
  },
  { type: 'Problem', site: { operationId: 'getEsim', response: '404' }, fields: problem },
  { type: 'Problem', site: { operationId: 'createTopup', response: '402' }, fields: problem },
  { type: 'Esim', site: { operationId: 'createEsim', response: '201' }, fields: esim },
  { type: 'Esim', site: { operationId: 'getEsim', response: '200' }, fields: esim },
  { type: 'Esim', site: { operationId: 'updateEsim', response: '200' }, fields: esim },
  {
    type: 'EsimBalance',
    site: { operationId: 'getEsim', response: '200' },
    at: ['balance'],
    fields: fieldsOf<EsimBalance>()({ dataRemainingBytes: 'required', expiresAt: 'required' }),
  },
  {
    type: 'EsimPage',
    site: { operationId: 'listEsims', response: '200' },
    fields: fieldsOf<EsimPage>()({ data: 'required', nextCursor: 'required' }),
  },
  {
    type: 'EsimUsage',
    site: { operationId: 'getEsimUsage', response: '200' },
    fields: fieldsOf<EsimUsage>()({
      dataUsedBytes: 'required',
      dataRemainingBytes: 'required',
      throttled: 'required',
    }),
  },
  {
    type: 'EsimCancellation',
    site: { operationId: 'cancelEsim', response: '200' },
    fields: fieldsOf<EsimCancellation>()({
      iccid: 'required',
      state: 'required',
      status: 'required',
      earlyTerminationFee: 'required',
      chargeId: 'required',
      cancelledAt: 'required',
    }),
  },
  { type: 'Topup', site: { operationId: 'createTopup', response: '201' }, fields: topup },
  { type: 'Topup', site: { operationId: 'createTopup', response: '202' }, fields: topup },
  { type: 'Topup', site: { operationId: 'getTopup', response: '200' }, fields: topup },
  {
    type: 'Topup',
    site: { operationId: 'listTopups', response: '200' },
    at: ['data', '[]'],
    fields: topup,
  },
  {
    type: 'CreatedWebhookEndpoint',
    site: { operationId: 'createWebhookEndpoint', response: '201' },
    fields: fieldsOf<CreatedWebhookEndpoint>()({ ...webhookEndpoint, secret: 'required' }),
  },
  {
    type: 'WebhookEndpoint',
    site: { operationId: 'listWebhookEndpoints', response: '200' },
    at: ['data', '[]'],
    fields: webhookEndpoint,
  },
  {
    type: 'WebhookDeliveryPage',
    site: { operationId: 'listWebhookDeliveries', response: '200' },
    fields: fieldsOf<WebhookDeliveryPage>()({ data: 'required', nextCursor: 'required' }),
  },
  {
    type: 'WebhookDelivery',
    site: { operationId: 'listWebhookDeliveries', response: '200' },
    at: ['data', '[]'],
    fields: webhookDelivery,
  },
  {
    type: 'WebhookDelivery',
    site: { operationId: 'resendWebhookDelivery', response: '202' },
    fields: webhookDelivery,
  },
  {
    type: 'WebhookAttempt',
    site: { operationId: 'resendWebhookDelivery', response: '202' },
    at: ['attempts', '[]'],
    fields: fieldsOf<WebhookAttempt>()({
      at: 'required',
      statusCode: 'optional',
      error: 'optional',
      durationMs: 'required',
    }),
  },
  {
    type: 'ProfileDownload',
    site: { operationId: 'downloadProfile', response: '200' },
    fields: fieldsOf<ProfileDownload>()({ iccid: 'required', state: 'required' }),
  },
  {
    type: 'Coverage',
    site: { operationId: 'getCoverage', response: '200' },
    fields: fieldsOf<Coverage>()({ signal: 'required', region: 'required' }),
  },
  {
    type: 'CoverageMap',
    site: { operationId: 'getCoverageMap', response: '200' },
    fields: fieldsOf<CoverageMap>()({
      carrier: 'required',
      overrides: 'required',
      regions: 'required',
      territories: 'required',
      outside: 'required',
    }),
  },
  {
    type: 'CoverageRegion',
    site: { operationId: 'getCoverageMap', response: '200' },
    at: ['regions', '[]'],
    fields: fieldsOf<CoverageRegion>()({
      id: 'required',
      name: 'required',
      signal: 'required',
      areas: 'required',
    }),
  },
  {
    type: 'CoverageOverride',
    site: { operationId: 'addCoverageOverride', response: '201' },
    fields: coverageOverride,
  },
  {
    type: '{deleted}',
    site: { operationId: 'clearCoverageOverrides', response: '200' },
    fields: fieldsOf<
      Awaited<ReturnType<import('../../src/index.ts').SimClient['clearCoverageOverrides']>>
    >()({
      deleted: 'required',
    }),
  },
  {
    type: 'GatewayCharge',
    site: { operationId: 'listGatewayCharges', response: '200' },
    at: ['data', '[]'],
    fields: fieldsOf<GatewayCharge>()({
      id: 'required',
      amount: 'required',
      status: 'required',
      purpose: 'required',
      idempotencyKey: 'optional',
      clientReference: 'optional',
      createdAt: 'required',
    }),
  },
  {
    type: 'GatewayCharge.purpose',
    site: { operationId: 'listGatewayCharges', response: '200' },
    at: ['data', '[]', 'purpose'],
    fields: fieldsOf<GatewayCharge['purpose']>()({ kind: 'required', ref: 'required' }),
  },
  {
    type: 'CrashPoints',
    site: { operationId: 'armCrashPoint', response: '200' },
    fields: crashPoints,
  },
  {
    type: 'CrashPoints',
    site: { operationId: 'listCrashPoints', response: '200' },
    fields: crashPoints,
  },
  { type: 'FaultPlan', site: { operationId: 'listFaults', response: '200' }, fields: faultPlan },
  { type: 'FaultPlan', site: { operationId: 'addFault', response: '200' }, fields: faultPlan },
  {
    type: 'FaultRuleCounters',
    site: { operationId: 'listFaults', response: '200' },
    at: ['rules', '[]', 'counters'],
    fields: fieldsOf<FaultRuleCounters>()({ matched: 'required', hits: 'required' }),
  },
  {
    type: 'Clock',
    site: { operationId: 'advanceClock', response: '200' },
    fields: fieldsOf<Clock>()({ now: 'required', offsetMs: 'required' }),
  },
  { type: 'Device', site: { operationId: 'createDevice', response: '201' }, fields: device },
  {
    type: 'Device',
    site: { operationId: 'listDevices', response: '200' },
    at: ['data', '[]'],
    fields: device,
  },
  {
    type: 'DeviceProfile',
    site: { operationId: 'getDevice', response: '200' },
    at: ['profiles', '[]'],
    fields: fieldsOf<DeviceProfile>()({ iccid: 'required', state: 'required' }),
  },
  {
    type: 'Location',
    site: { operationId: 'getDevice', response: '200' },
    at: ['location'],
    fields: location,
  },
  {
    type: 'ProfileActionResult',
    site: { operationId: 'enableDeviceProfile', response: '200' },
    fields: profileAction,
  },
  {
    type: 'ProfileActionResult',
    site: { operationId: 'deleteDeviceProfile', response: '200' },
    fields: profileAction,
  },
  {
    type: 'DataUse',
    site: { operationId: 'useDeviceData', response: '200' },
    fields: fieldsOf<DataUse>()({
      iccid: 'required',
      requestedBytes: 'required',
      consumedBytes: 'required',
      dataRemainingBytes: 'required',
      dataUsedBytes: 'required',
      throttled: 'required',
    }),
  },
  {
    type: 'CreatedTenant',
    site: { operationId: 'createTenant', response: '201' },
    fields: fieldsOf<CreatedTenant>()({ ...tenant, apiKey: 'required' }),
  },
  {
    type: 'Tenant',
    site: { operationId: 'listTenants', response: '200' },
    at: ['data', '[]'],
    fields: tenant,
  },
  { type: 'CarrierConfig', site: { operationId: 'getConfig', response: '200' }, fields: config },
  { type: 'CarrierConfig', site: { operationId: 'updateConfig', response: '200' }, fields: config },
  {
    type: 'JournalPage',
    site: { operationId: 'listEvents', response: '200' },
    fields: fieldsOf<JournalPage>()({ data: 'required', nextCursor: 'required' }),
  },
  {
    type: 'JournalEvent',
    site: { operationId: 'listEvents', response: '200' },
    at: ['data', '[]'],
    fields: fieldsOf<JournalEvent>()({
      id: 'required',
      seq: 'required',
      at: 'required',
      type: 'required',
      tenantId: 'optional',
      iccid: 'optional',
      eid: 'optional',
      data: 'required',
    }),
  },
  {
    type: 'SeededSubscriber',
    site: { operationId: 'seedCarrier', response: '200' },
    at: ['subscribers', '[]'],
    fields: fieldsOf<SeededSubscriber>()({
      name: 'required',
      email: 'required',
      timeZone: 'required',
      eid: 'required',
      iccid: 'required',
      msisdn: 'required',
      planId: 'required',
      activationCode: 'required',
      confirmationCode: 'optional',
    }),
  },
  // Request bodies: the client must not send a field the carrier does not take.
  {
    type: 'EsimOrder',
    site: { operationId: 'createEsim', requestBody: true },
    fields: fieldsOf<EsimOrder>()({
      planId: 'required',
      paymentMethod: 'required',
      subscriber: 'required',
      eid: 'optional',
    }),
  },
  {
    type: 'Subscriber',
    site: { operationId: 'createEsim', requestBody: true },
    at: ['subscriber'],
    fields: fieldsOf<Subscriber>()({ name: 'required', email: 'required', timeZone: 'required' }),
  },
  {
    type: 'EsimUpdate',
    site: { operationId: 'updateEsim', requestBody: true },
    fields: fieldsOf<EsimUpdate>()({ autoRenew: 'optional', paymentMethod: 'optional' }),
  },
  {
    type: 'TopupRequest',
    site: { operationId: 'createTopup', requestBody: true },
    fields: fieldsOf<TopupRequest>()({
      planId: 'required',
      paymentMethod: 'required',
      clientReference: 'optional',
    }),
  },
  {
    type: 'WebhookEndpointInput',
    site: { operationId: 'createWebhookEndpoint', requestBody: true },
    fields: fieldsOf<WebhookEndpointInput>()({ url: 'required', events: 'required' }),
  },
  {
    type: 'ProfileDownloadRequest',
    site: { operationId: 'downloadProfile', requestBody: true },
    fields: fieldsOf<ProfileDownloadRequest>()({
      eid: 'required',
      activationCode: 'required',
      confirmationCode: 'optional',
    }),
  },
  {
    type: 'DeviceInput',
    site: { operationId: 'createDevice', requestBody: true },
    fields: fieldsOf<DeviceInput>()({ eid: 'optional', location: 'required', wifi: 'required' }),
  },
  {
    type: 'DeviceUpdate',
    site: { operationId: 'updateDevice', requestBody: true },
    fields: fieldsOf<DeviceUpdate>()({ location: 'optional', wifi: 'optional' }),
  },
  {
    type: 'DataUseInput',
    site: { operationId: 'useDeviceData', requestBody: true },
    fields: fieldsOf<DataUseInput>()({ bytes: 'required', iccid: 'optional' }),
  },
  {
    type: 'CoverageOverrideInput',
    site: { operationId: 'addCoverageOverride', requestBody: true },
    fields: fieldsOf<CoverageOverrideInput>()({
      name: 'required',
      center: 'required',
      radiusKm: 'required',
      signal: 'required',
    }),
  },
  {
    type: 'CarrierConfigUpdate',
    site: { operationId: 'updateConfig', requestBody: true },
    fields: fieldsOf<CarrierConfigUpdate>()({
      apiStyle: 'optional',
      asyncCompletionMs: 'optional',
    }),
  },
  {
    type: 'SeedInput',
    site: { operationId: 'seedCarrier', requestBody: true },
    fields: fieldsOf<SeedInput>()({ seed: 'required', subscribers: 'optional' }),
  },
];

let doc: OpenApiDocument;
beforeAll(async () => {
  const client = carrierClient('att');
  doc = await client.openapi();
  client.close();
});

describe('the client types against the carrier’s /openapi.json', () => {
  it.each(table.map((row) => ({ ...row, where: describeSite(row.site, row.at) })))(
    '$type matches $where',
    ({ site, at, fields }) => {
      const { client, server } = compareFields(fields, schemaAt(doc, site, at));
      expect(client).toEqual(server);
    },
  );
});

describe('the comparison itself', () => {
  let changed: OpenApiDocument;
  beforeAll(() => {
    changed = structuredClone(doc) as OpenApiDocument;
  });

  it('fails when the server adds a required field the client does not know', () => {
    const schemas = changed.components.schemas as Record<string, Record<string, unknown>>;
    const topupSchema = schemas.Topup as {
      properties: Record<string, unknown>;
      required: string[];
    };
    topupSchema.properties.refundedAt = { type: 'string' };
    topupSchema.required.push('refundedAt');
    const { client, server } = compareFields(
      topup,
      schemaAt(changed, { operationId: 'getTopup', response: '200' }),
    );
    expect(client).not.toEqual(server);
    expect(server.required).toContain('refundedAt');
  });

  it('fails when the client names a field the server does not have', () => {
    const renamed = { ...topup, topupId: 'required' as const };
    const { client, server } = compareFields(
      renamed,
      schemaAt(doc, { operationId: 'getTopup', response: '200' }),
    );
    expect(client).not.toEqual(server);
  });

  it('fails when the client has a required field as optional', () => {
    const loosened = { ...topup, chargeId: 'optional' as const };
    const { client, server } = compareFields(
      loosened,
      schemaAt(doc, { operationId: 'getTopup', response: '200' }),
    );
    expect(client.required).not.toEqual(server.required);
  });
});

function describeSite(site: SchemaSite, at: readonly string[] | undefined): string {
  const base =
    'requestBody' in site
      ? `${site.operationId} request body`
      : `${site.operationId} ${site.response}`;
  return at === undefined || at.length === 0 ? base : `${base} at ${at.join('.')}`;
}
