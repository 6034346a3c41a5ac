export { type RawOutcome, type RawRequestOptions, rawRequest } from './raw-request.ts';
