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
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    next(
      new ProblemError(
        415,
        'unsupported_media_type',
        `request bodies must be JSON: send Content-Type: application/json (got ${type ? `"${type}"` : 'none'})`,
      ),
    );
    return;
  }
  parseJson(req, res, next);
};

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
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
      return new ProblemError(
        413,
        'payload_too_large',
        `request bodies are limited to ${MAX_BODY_BYTES} bytes`,
      );
    case 'entity.parse.failed':
      return new ProblemError(400, 'invalid_request', `the body is not valid JSON: ${e.message}`);
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
