import type { CallOptions } from './call-options.ts';
import type { Coverage, Location } from './contract/coverage.ts';
import type {
  Esim,
  EsimCancellation,
  EsimOrder,
  EsimPage,
  EsimUpdate,
  EsimUsage,
} from './contract/esim.ts';
import type { Health } from './contract/health.ts';
import type { ProfileDownload, ProfileDownloadRequest } from './contract/lpa.ts';
import type { OpenApiDocument } from './contract/openapi-document.ts';
import type { Plan } from './contract/plan.ts';
import type { CreatedTopup, Topup, TopupPage, TopupRequest } from './contract/topup.ts';
import type {
  CreatedWebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointInput,
} from './contract/webhook.ts';
import { SimClient } from './control-plane/sim-client.ts';
import { CarrierCalls, maxProcessingOf } from './internal/carrier-calls.ts';
import { type CarrierTransport, httpTransport } from './transport/carrier-transport.ts';

export interface CarrierClientOptions {
  /** e.g. `http://127.0.0.1:4101`. */
  readonly baseUrl: string;
  /** A tenant's API key; default the dev key `sk_test_esimlab`. */
  readonly apiKey?: string;
  /** Sent as `X-Sim-Admin-Token` on control-plane calls, for a carrier that requires one. */
  readonly adminToken?: string;
  /** Each request's time limit, body included; default 10 s. */
  readonly timeoutMs?: number;
  /** Extra headers on every request (e.g. a tracing id). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * What carries the requests; default real HTTP over node:http (`httpTransport()`). A
   * simulation passes an in-process one. `close()` closes it.
   */
  readonly transport?: CarrierTransport;
}

/** Options of the POSTs the carrier makes safe to repeat with an `Idempotency-Key`. */
export interface IdempotentCallOptions extends CallOptions {
  readonly idempotencyKey?: string;
}

export const DEV_API_KEY = 'sk_test_esimlab';
export const DEFAULT_TIMEOUT_MS = 10_000;

const segment = encodeURIComponent;

// A page of top-ups when the caller names no size (the carrier allows up to 1,000).
const DEFAULT_TOPUP_PAGE = 100;

const keyHeader = (options: IdempotentCallOptions | undefined): Record<string, string> =>
  options?.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey };

/**
 * A typed client of one esimlab carrier: one method per operation of the public API, and the
 * control plane under `sim`. Each call is one attempt: an error answer throws
 * `CarrierProblemError`, no complete answer throws `CarrierNetworkError`; nothing is retried
 * behind your back (for top-ups, use `purchaseTopup`). Call `close()` when done, to free
 * the kept-alive connections.
 */
export class CarrierClient {
  readonly baseUrl: string;
  /** The test control plane, `/_sim/*`. */
  readonly sim: SimClient;
  readonly #transport: CarrierCalls;

  constructor(options: CarrierClientOptions) {
    if (!URL.canParse(options.baseUrl) || !/^https?:$/.test(new URL(options.baseUrl).protocol)) {
      throw new TypeError(
        `baseUrl must be an http(s) URL such as http://127.0.0.1:4101; got ${JSON.stringify(options.baseUrl)}`,
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new RangeError(`timeoutMs must be a positive number of milliseconds; got ${timeoutMs}`);
    }
    this.baseUrl = options.baseUrl;
    this.#transport = new CarrierCalls({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey ?? DEV_API_KEY,
      adminToken: options.adminToken,
      timeoutMs,
      headers: options.headers ?? {},
      transport: options.transport ?? httpTransport(),
    });
    this.sim = new SimClient(this.#transport);
  }

  /**
   * The longest a top-up takes from arrival to commit, as the carrier last said in
   * `Esimlab-Max-Processing-Ms`; undefined until an answer carried it.
   */
  get maxProcessingMs(): number | undefined {
    return this.#transport.maxProcessingMs;
  }

  health(options?: CallOptions): Promise<Health> {
    return this.#transport.json({ method: 'GET', path: '/healthz', auth: 'none', options });
  }

  async plans(options?: CallOptions): Promise<readonly Plan[]> {
    const page = await this.#transport.json<{ data: Plan[] }>({
      method: 'GET',
      path: '/v1/plans',
      auth: 'api-key',
      options,
    });
    return page.data;
  }

  /** Orders an eSIM; its `confirmationCode` (when the plan needs one) is only in this answer. */
  createEsim(order: EsimOrder, options?: IdempotentCallOptions): Promise<Esim> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/esims',
      body: order,
      auth: 'api-key',
      headers: keyHeader(options),
      options,
    });
  }

  getEsim(iccid: string, options?: CallOptions): Promise<Esim> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/esims/${segment(iccid)}`,
      auth: 'api-key',
      options,
    });
  }

  /** One page of the tenant's eSIMs, oldest first; pass `nextCursor` back for the next. */
  listEsims(
    page: { readonly limit?: number; readonly cursor?: string } = {},
    options?: CallOptions,
  ): Promise<EsimPage> {
    return this.#transport.json({
      method: 'GET',
      path: '/v1/esims',
      query: { limit: page.limit, cursor: page.cursor },
      auth: 'api-key',
      options,
    });
  }

  /** The activation code as a PNG QR code. */
  async esimQrPng(iccid: string, options?: CallOptions): Promise<Uint8Array> {
    const reply = await this.#transport.send({
      method: 'GET',
      path: `/v1/esims/${segment(iccid)}/qr.png`,
      auth: 'api-key',
      headers: { accept: 'image/png' },
      options,
    });
    return new Uint8Array(reply.body);
  }

  usage(iccid: string, options?: CallOptions): Promise<EsimUsage> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/esims/${segment(iccid)}/usage`,
      auth: 'api-key',
      options,
    });
  }

  /** Downloads a profile to a device, as the phone's LPA does: no API key. */
  lpaDownload(request: ProfileDownloadRequest, options?: CallOptions): Promise<ProfileDownload> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/lpa/download',
      body: request,
      auth: 'none',
      options,
    });
  }

  /**
   * One attempt to buy an add-on. The `idempotent` and `async` styles require an
   * `idempotencyKey`; a lost answer is only safe to retry with the same key, or (in the
   * `reference` style) after looking up `clientReference`. `purchaseTopup` does all that.
   */
  async createTopup(
    iccid: string,
    request: TopupRequest,
    options?: IdempotentCallOptions,
  ): Promise<CreatedTopup> {
    const { reply, value: topup } = await this.#transport.jsonReply<Topup>({
      method: 'POST',
      path: `/v1/esims/${segment(iccid)}/topups`,
      body: request,
      auth: 'api-key',
      headers: keyHeader(options),
      options,
    });
    const maxProcessingMs = maxProcessingOf(reply);
    return {
      httpStatus: reply.status === 202 ? 202 : 201,
      topup,
      replayed: reply.headers['idempotent-replayed'] === 'true',
      ...(maxProcessingMs === undefined ? {} : { maxProcessingMs }),
    };
  }

  getTopup(id: string, options?: CallOptions): Promise<Topup> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/topups/${segment(id)}`,
      auth: 'api-key',
      options,
    });
  }

  /** An eSIM's top-ups, newest first; with `clientReference`, only the ones carrying it. */
  async listTopups(
    iccid: string,
    filter: { readonly clientReference?: string } = {},
    options?: CallOptions,
  ): Promise<readonly Topup[]> {
    const page = await this.#transport.json<{ data: Topup[] }>({
      method: 'GET',
      path: `/v1/esims/${segment(iccid)}/topups`,
      query: { clientReference: filter.clientReference },
      auth: 'api-key',
      options,
    });
    return page.data;
  }

  /**
   * One page of an eSIM's top-ups, newest first: at most `limit` (default 100, at most 1,000);
   * pass `nextCursor` back as `cursor` for the next, older page. With `clientReference`, only
   * the ones carrying it.
   */
  listTopupsPage(
    iccid: string,
    page: {
      readonly clientReference?: string;
      readonly limit?: number;
      readonly cursor?: string;
    } = {},
    options?: CallOptions,
  ): Promise<TopupPage> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/esims/${segment(iccid)}/topups`,
      query: {
        clientReference: page.clientReference,
        limit: page.limit ?? DEFAULT_TOPUP_PAGE,
        cursor: page.cursor,
      },
      auth: 'api-key',
      options,
    });
  }

  updateEsim(iccid: string, update: EsimUpdate, options?: CallOptions): Promise<Esim> {
    return this.#transport.json({
      method: 'PATCH',
      path: `/v1/esims/${segment(iccid)}`,
      body: update,
      auth: 'api-key',
      options,
    });
  }

  /** Cancels the service; leaving within the minimum term charges an early termination fee. */
  cancelEsim(iccid: string, options?: IdempotentCallOptions): Promise<EsimCancellation> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/esims/${segment(iccid)}/cancel`,
      body: {},
      auth: 'api-key',
      headers: keyHeader(options),
      options,
    });
  }

  coverage(location: Location, options?: CallOptions): Promise<Coverage> {
    return this.#transport.json({
      method: 'GET',
      path: '/v1/coverage',
      query: { lat: location.lat, lon: location.lon },
      auth: 'api-key',
      options,
    });
  }

  /** Registers a receiver; keep the returned `secret`, it is never shown again. */
  createWebhookEndpoint(
    input: WebhookEndpointInput,
    options?: CallOptions,
  ): Promise<CreatedWebhookEndpoint> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/webhook-endpoints',
      body: input,
      auth: 'api-key',
      options,
    });
  }

  async listWebhookEndpoints(options?: CallOptions): Promise<readonly WebhookEndpoint[]> {
    const page = await this.#transport.json<{ data: WebhookEndpoint[] }>({
      method: 'GET',
      path: '/v1/webhook-endpoints',
      auth: 'api-key',
      options,
    });
    return page.data;
  }

  async deleteWebhookEndpoint(id: string, options?: CallOptions): Promise<void> {
    await this.#transport.send({
      method: 'DELETE',
      path: `/v1/webhook-endpoints/${segment(id)}`,
      auth: 'api-key',
      options,
    });
  }

  /** An endpoint's newest deliveries (at most `limit`, default 100): attempts, status and next retry. */
  async webhookDeliveries(
    endpointId: string,
    page: { readonly limit?: number } = {},
    options?: CallOptions,
  ): Promise<readonly WebhookDelivery[]> {
    return (await this.webhookDeliveryPage(endpointId, page, options)).data;
  }

  /**
   * One page of an endpoint's deliveries, newest first (at most `limit`, default 100); pass
   * `nextCursor` back as `cursor` for the next, older page.
   */
  webhookDeliveryPage(
    endpointId: string,
    page: { readonly limit?: number; readonly cursor?: string } = {},
    options?: CallOptions,
  ): Promise<WebhookDeliveryPage> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/webhook-endpoints/${segment(endpointId)}/deliveries`,
      query: { limit: page.limit, cursor: page.cursor },
      auth: 'api-key',
      options,
    });
  }

  /** Sends a delivery again now: a new attempt with the same event id. */
  resendWebhookDelivery(deliveryId: string, options?: CallOptions): Promise<WebhookDelivery> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/webhook-deliveries/${segment(deliveryId)}/resend`,
      body: {},
      auth: 'api-key',
      options,
    });
  }

  /** The carrier's OpenAPI 3.1 description of its API. */
  openapi(options?: CallOptions): Promise<OpenApiDocument> {
    return this.#transport.json({ method: 'GET', path: '/openapi.json', auth: 'none', options });
  }

  /** Closes the kept-alive connections; calls after this open new ones. */
  close(): void {
    this.#transport.close();
  }
}
