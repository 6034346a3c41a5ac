import { z } from 'zod';

/**
 * `limit`: a whole number from 1 to `max`, as a query string carries it; undefined when absent
 * (each list says what that means).
 */
export function pageLimitSchema(max: number, description: string) {
  const message = `limit must be a whole number from 1 to ${max}`;
  return z
    .string()
    .regex(new RegExp(`^[0-9]{1,${String(max).length}}$`), message)
    .transform(Number)
    .pipe(z.number().int().min(1, message).max(max, message))
    .optional()
    .meta({ description });
}

/** Where a page resumes in (createdAt, id) order: after this item. */
export interface CreatedAtCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** Cursors are opaque to clients: base64url JSON they hand back unchanged. */
export function encodeCreatedAtCursor(cursor: CreatedAtCursor): string {
  return Buffer.from(JSON.stringify({ c: cursor.createdAt, i: cursor.id })).toString('base64url');
}

/** `find`'s `after` for the page that follows `cursor` in (createdAt, id) order; none for the first. */
export function afterCreatedAt(cursor: CreatedAtCursor | undefined): {
  readonly after?: { readonly value: number; readonly id: string };
} {
  return cursor === undefined ? {} : { after: { value: cursor.createdAt, id: cursor.id } };
}

/** `cursor`: a `nextCursor` this carrier issued, whose id matches `id`. */
export function createdAtCursorSchema(id: z.ZodString) {
  const shape = z.strictObject({ c: z.number().int().nonnegative(), i: id });
  return cursorSchema((text): CreatedAtCursor | undefined => {
    const parsed = shape.safeParse(decodeJson(text));
    return parsed.success ? { createdAt: parsed.data.c, id: parsed.data.i } : undefined;
  });
}

/** `cursor`: a `nextCursor` that is a position in a sequence (a whole number). */
export function sequenceCursorSchema() {
  return cursorSchema((text) => (/^[0-9]{1,15}$/.test(text) ? Number(text) : undefined));
}

function cursorSchema<T>(decode: (text: string) => T | undefined) {
  return z
    .string()
    .transform((text, ctx): T => {
      const cursor = text.length <= 512 ? decode(text) : undefined;
      if (cursor !== undefined) return cursor;
      ctx.addIssue({
        code: 'custom',
        message:
          'cursor is not one this carrier issued; pass the nextCursor of the previous page unchanged, or omit it for the first page',
      });
      return z.NEVER;
    })
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page' });
}

function decodeJson(text: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The size of the page a list query asks for, or undefined for the whole list (neither `limit`
 * nor `cursor`); a cursor alone pages at `max`.
 */
export function pageSizeOf(
  query: { readonly limit?: number | undefined; readonly cursor?: unknown },
  max: number,
): number | undefined {
  if (query.limit === undefined && query.cursor === undefined) return undefined;
  return query.limit ?? max;
}

/**
 * One page from `found`, read with a limit of `size + 1`: its first `size` items, and the
 * cursor after the last of them if anything follows, else null. Without a `size`, `found` is
 * the whole list, with no cursor at all.
 */
export function pageOf<T>(
  found: readonly T[],
  size: number,
  cursorAfter: (last: T) => string,
): { readonly shown: readonly T[]; readonly nextCursor: string | null };
export function pageOf<T>(
  found: readonly T[],
  size: number | undefined,
  cursorAfter: (last: T) => string,
): { readonly shown: readonly T[]; readonly nextCursor: string | null | undefined };
export function pageOf<T>(
  found: readonly T[],
  size: number | undefined,
  cursorAfter: (last: T) => string,
): { readonly shown: readonly T[]; readonly nextCursor: string | null | undefined } {
  if (size === undefined) return { shown: found, nextCursor: undefined };
  const shown = found.slice(0, size);
  const last = shown.at(-1);
  return {
    shown,
    nextCursor: found.length > size && last !== undefined ? cursorAfter(last) : null,
  };
}

/** `pageOf` for documents paged in (createdAt, id) order, their cursor made of both. */
export function createdAtPageOf<T extends CreatedAtCursor>(
  found: readonly T[],
  size: number,
): { readonly shown: readonly T[]; readonly nextCursor: string | null };
export function createdAtPageOf<T extends CreatedAtCursor>(
  found: readonly T[],
  size: number | undefined,
): { readonly shown: readonly T[]; readonly nextCursor: string | null | undefined };
export function createdAtPageOf<T extends CreatedAtCursor>(
  found: readonly T[],
  size: number | undefined,
): { readonly shown: readonly T[]; readonly nextCursor: string | null | undefined } {
  return pageOf(found, size, (last) =>
    encodeCreatedAtCursor({ createdAt: last.createdAt, id: last.id }),
  );
}
