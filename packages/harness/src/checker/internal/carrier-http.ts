import type { CarrierId } from '@esimlab/domain';
import type { z } from 'zod';
import { CheckerError } from '../checker-error.ts';

export interface CarrierTarget {
  readonly carrier: CarrierId;
  readonly baseUrl: string;
  readonly adminToken?: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The checker's only way to a carrier: plain `fetch`, every answer validated, every failure a
 * `CheckerError` that names the carrier, the request and what to do.
 */
export class CarrierHttp {
  readonly #target: CarrierTarget;
  readonly #timeoutMs: number;

  constructor(target: CarrierTarget, timeoutMs: number) {
    this.#target = { ...target, baseUrl: target.baseUrl.replace(/\/+$/, '') };
    this.#timeoutMs = timeoutMs;
  }

  get carrier(): CarrierId {
    return this.#target.carrier;
  }

  /** A control-plane (`/_sim`) call; anything but a 2xx is an error. */
  async control<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.#target.adminToken !== undefined) {
      headers['x-sim-admin-token'] = this.#target.adminToken;
    }
    const answer = await this.#send(method, path, headers, body);
    if (answer.status < 200 || answer.status > 299) {
      const hint =
        answer.status === 401
          ? `; pass the carrier's ESIMLAB_ADMIN_TOKEN as adminToken`
          : answer.status === 404 && problemCode(answer.body) === 'route_not_found'
            ? '; the carrier predates this checker: update and restart it'
            : '';
      throw this.#failed(method, path, answer, hint);
    }
    return this.#read(method, path, answer, schema);
  }

  /**
   * A GET on the public API with one tenant's key, or `undefined` when that tenant cannot see
   * the resource: one tenant's eSIMs and endpoints are 404 to every other.
   */
  async apiGet<T>(path: string, apiKey: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const answer = await this.#send('GET', path, { authorization: `Bearer ${apiKey}` });
    if (answer.status === 404) return undefined;
    if (answer.status < 200 || answer.status > 299) {
      const hint = answer.status === 401 ? '; an API key given to the checker is not valid' : '';
      throw this.#failed('GET', path, answer, hint);
    }
    return this.#read('GET', path, answer, schema);
  }

  async #send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Answer> {
    const { carrier, baseUrl } = this.#target;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      const why =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : causeOf(error);
      throw new CheckerError(
        'carrier_unreachable',
        `cannot reach carrier ${carrier} at ${baseUrl} (${method} ${path}): ${why}; is it running, and is this its URL?`,
        { cause: error },
      );
    }
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Left as text: the status decides whether that is an error, and the message shows it.
    }
    return { status: res.status, body: parsed };
  }

  #read<T>(method: string, path: string, answer: Answer, schema: z.ZodType<T>): T {
    const result = schema.safeParse(answer.body);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'unreadable';
    throw new CheckerError(
      'carrier_response_unexpected',
      `carrier ${this.#target.carrier} answered ${method} ${path} with a body the checker cannot read (${where}); is it an esimlab carrier of this version?`,
    );
  }

  #failed(method: string, path: string, answer: Answer, hint: string): CheckerError {
    const code = problemCode(answer.body);
    const detail =
      typeof answer.body === 'object' && answer.body !== null && 'detail' in answer.body
        ? String(answer.body.detail)
        : String(answer.body ?? '').slice(0, 200);
    return new CheckerError(
      'carrier_request_failed',
      `carrier ${this.#target.carrier} answered ${method} ${path} with ${answer.status}${code ? ` ${code}` : ''}: ${detail}${hint}`,
    );
  }
}

function problemCode(body: unknown): string | undefined {
  return typeof body === 'object' &&
    body !== null &&
    'code' in body &&
    typeof body.code === 'string'
    ? body.code
    : undefined;
}

/** fetch hides the socket error (ECONNREFUSED, ECONNRESET) in `cause`. */
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
