/**
 * RFC 9457 problem details with a stable snake_case `code`. Every error the carrier
 * answers with is one of these; anything else reaching the error handler is a bug.
 */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.code = code;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  toBody(): ProblemBody {
    return {
      type: `https://esimlab.dev/problems/${this.code.replaceAll('_', '-')}`,
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
      ...this.extensions,
    };
  }
}

/** A field-level validation failure, as reported inside a 400 `invalid_request`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export const invalidRequest = (detail: string, errors: readonly FieldError[] = []): ProblemError =>
  new ProblemError(400, 'invalid_request', detail, errors.length ? { extensions: { errors } } : {});

export const notFound = (what: string, id: string, hint: string): ProblemError =>
  new ProblemError(
    404,
    `${what}_not_found`,
    `no ${what.replaceAll('_', ' ')} \`${id}\` for this tenant; ${hint}`,
  );

export const unauthenticated = (detail: string): ProblemError =>
  new ProblemError(401, 'unauthenticated', detail, {
    headers: { 'WWW-Authenticate': 'Bearer realm="esimlab"' },
  });
