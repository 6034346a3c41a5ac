// A stand-in for a k6 runtime module, which exists only inside the k6 binary; vitest.config.ts
// maps the k6 script's imports here so tests can load load/recharge.ts in Node.
/** `k6/http`'s `asyncRequest`, on fetch, answering the way k6 documents its Response. */
export interface StandInResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
  error: string;
  error_code: number;
}

async function asyncRequest(
  method: string,
  url: string,
  body: string | null,
  params: { headers?: Record<string, string>; timeout?: number; responseType?: string } = {},
): Promise<StandInResponse> {
  try {
    const response = await fetch(url, {
      method,
      headers: params.headers ?? {},
      ...(body === null ? {} : { body }),
      signal: AbortSignal.timeout(params.timeout ?? 60_000),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    // k6 canonicalizes header names, as Go's net/http does.
    response.headers.forEach((value, name) => {
      headers[
        name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
      ] = value;
    });
    return {
      status: response.status,
      headers,
      body: params.responseType === 'none' ? null : text,
      error: '',
      error_code: response.status >= 400 ? 1000 + response.status : 0,
    };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return {
      status: 0,
      headers: {},
      body: null,
      error: String(error),
      error_code: timedOut
        ? 1050
        : code === 'ECONNREFUSED'
          ? 1212
          : code === 'ECONNRESET'
            ? 1220
            : 1000,
    };
  }
}

export default { asyncRequest };
