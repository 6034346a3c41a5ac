import { signWebhookPayload } from '@esimlab/domain';
import type { CarrierContext } from '../../../app/carrier-context.ts';
import { wallNow } from './wall-time.ts';

export interface WebhookPost {
  readonly url: string;
  /** The JSON body, signed exactly as sent. */
  readonly body: string;
  readonly secret: string;
  readonly eventId: string;
  readonly timeoutMs: number;
}

export interface WebhookPostOutcome {
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export const WEBHOOK_USER_AGENT = 'esimlab-webhooks/1';

/**
 * One signed POST to a receiver. Never throws: a refused connection, a reset or a timeout is
 * an outcome like a 500, recorded on the delivery and retried.
 */
export async function postWebhook(
  context: CarrierContext,
  post: WebhookPost,
): Promise<WebhookPostOutcome> {
  const startedAt = wallNow(context);
  const controller = new AbortController();
  const timeout = context.scheduler.schedule(post.timeoutMs, () => controller.abort());
  const elapsed = () => Math.max(0, wallNow(context) - startedAt);
  try {
    const response = await fetch(post.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': WEBHOOK_USER_AGENT,
        'Esimlab-Event-Id': post.eventId,
        'Esimlab-Signature': signWebhookPayload({
          secret: post.secret,
          payload: post.body,
          timestampSeconds: Math.floor(startedAt / 1000),
        }),
      },
      body: post.body,
      // A redirect is not a delivery (as with Stripe): the receiver must answer 2xx itself.
      redirect: 'manual',
      signal: controller.signal,
    });
    // Only the status matters; dropping the body frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return { statusCode: response.status, durationMs: elapsed() };
  } catch (error) {
    const reason = controller.signal.aborted
      ? `timeout: no response within ${post.timeoutMs} ms`
      : describeNetworkError(error);
    return { error: reason, durationMs: elapsed() };
  } finally {
    timeout.cancel();
  }
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, …) in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
