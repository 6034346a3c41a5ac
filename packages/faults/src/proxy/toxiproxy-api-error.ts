/** Stable codes of the errors the proxy admin API answers with. */
export type ToxiproxyApiErrorCode =
  | 'bad_request_body'
  | 'missing_required_field'
  | 'invalid_listen'
  | 'invalid_upstream'
  | 'listen_address_in_use'
  | 'proxy_not_found'
  | 'proxy_already_exists'
  | 'invalid_stream'
  | 'invalid_toxic_type'
  | 'toxic_already_exists'
  | 'toxic_not_found'
  | 'route_not_found'
  | 'method_not_allowed';

/**
 * An error of the admin API. Its body is Toxiproxy's `{"error": …, "status": …}`; `error`
 * starts with Toxiproxy's own message (`proxy not found`) so clients that match on it still
 * do, and goes on to say what to do.
 */
export class ToxiproxyApiError extends Error {
  readonly status: 400 | 404 | 405 | 409;
  readonly code: ToxiproxyApiErrorCode;

  constructor(status: 400 | 404 | 405 | 409, code: ToxiproxyApiErrorCode, message: string) {
    super(message);
    this.name = 'ToxiproxyApiError';
    this.status = status;
    this.code = code;
  }

  toBody(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}

export const proxyNotFound = (name: string): ToxiproxyApiError =>
  new ToxiproxyApiError(
    404,
    'proxy_not_found',
    `proxy not found: no proxy is named ${JSON.stringify(name)}; list them with GET /proxies`,
  );

export const toxicNotFound = (proxy: string, toxic: string): ToxiproxyApiError =>
  new ToxiproxyApiError(
    404,
    'toxic_not_found',
    `toxic not found: proxy ${JSON.stringify(proxy)} has no toxic named ${JSON.stringify(toxic)}; list them with GET /proxies/${encodeURIComponent(proxy)}/toxics`,
  );
