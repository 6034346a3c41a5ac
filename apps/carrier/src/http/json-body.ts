import express, { type RequestHandler } from 'express';
import { ProblemError } from './problem.ts';

/** Request bodies are JSON and at most 64 KiB, as the contract says. */
export const MAX_BODY_BYTES = 64 * 1024;

const parseJson = express.json({ limit: MAX_BODY_BYTES, strict: false, type: () => true });

/**
 * Parses a JSON body where one is sent. A body with another media type is a 415; a
 * request without a body gets `undefined`, and the route's schema decides if that is fine.
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  if (!hasBody(req.headers)) {
    req.body = undefined;
    next();
    return;
  }
  const refusal = mediaTypeProblem(req.headers['content-type']);
  if (refusal) {
    next(refusal);
    return;
  }
  parseJson(req, res, next);
};

/**
 * The same rules for a body that arrived whole (the simulator's in-process network): no body
 * is `undefined`; another media type is a 415, more than 64 KiB a 413, broken JSON a 400.
 */
export function parseJsonBytes(
  headers: Readonly<Record<string, string | undefined>>,
  bytes: Buffer | undefined,
): unknown {
  if (!hasBody(headers) || bytes === undefined || bytes.length === 0) return undefined;
  const refusal = mediaTypeProblem(headers['content-type']);
  if (refusal) throw refusal;
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw notJson((error as Error).message);
  }
}

function mediaTypeProblem(type = ''): ProblemError | undefined {
  if (/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) return undefined;
  return new ProblemError(
    415,
    'unsupported_media_type',
    `request bodies must be JSON: send Content-Type: application/json (got ${type ? `"${type}"` : 'none'})`,
  );
}

const tooLarge = () =>
  new ProblemError(
    413,
    'payload_too_large',
    `request bodies are limited to ${MAX_BODY_BYTES} bytes`,
  );

const notJson = (reason: string) =>
  new ProblemError(400, 'invalid_request', `the body is not valid JSON: ${reason}`);

function hasBody(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
  readonly message: string;
}

/** Turns body-parser failures into the contract's problems; anything else is not one of them. */
export function bodyParserProblem(error: unknown): ProblemError | undefined {
  const e = error as BodyParserError;
  switch (e?.type) {
    case 'entity.too.large':
      return tooLarge();
    case 'entity.parse.failed':
      return notJson(e.message);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProblemError(415, 'unsupported_media_type', `${e.message}; send UTF-8 JSON`);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ProblemError(400, 'invalid_request', e.message);
    default:
      return undefined;
  }
}
