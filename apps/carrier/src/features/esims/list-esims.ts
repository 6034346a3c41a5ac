import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import { type EsimRecord, esims } from '../../persistence/collections.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Where a page resumes: after this eSIM in (createdAt, iccid) order. */
interface EsimCursor {
  readonly createdAt: number;
  readonly iccid: string;
}

/** Cursors are opaque to clients: base64url JSON they hand back unchanged. */
export function encodeCursor(cursor: EsimCursor): string {
  return Buffer.from(JSON.stringify({ c: cursor.createdAt, i: cursor.iccid })).toString(
    'base64url',
  );
}

function decodeCursor(text: string): EsimCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const parsed = z
      .strictObject({ c: z.number().int().nonnegative(), i: z.string().regex(/^[0-9]{19,20}$/) })
      .safeParse(value);
    return parsed.success ? { createdAt: parsed.data.c, iccid: parsed.data.i } : undefined;
  } catch {
    return undefined;
  }
}

export const listEsimsQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
        .max(MAX_PAGE_SIZE, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`),
    )
    .optional()
    .meta({ description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` }),
  cursor: z
    .string()
    .transform((text, ctx): EsimCursor => {
      const cursor = decodeCursor(text);
      if (cursor) return cursor;
      ctx.addIssue({
        code: 'custom',
        message:
          'cursor is not one this carrier issued; pass the nextCursor of the previous page unchanged, or omit it for the first page',
      });
      return z.NEVER;
    })
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page' }),
});

export interface EsimPage {
  readonly esims: readonly EsimRecord[];
  readonly nextCursor: string | null;
}

/** One page of a tenant's eSIMs, oldest first; keyset paging visits each eSIM exactly once. */
export async function listEsims(
  tx: StoreTx,
  tenantId: string,
  page: { readonly limit?: number; readonly cursor?: EsimCursor },
): Promise<EsimPage> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const found = await tx.find(
    esims,
    { tenantId },
    {
      orderBy: 'createdAt',
      ...(page.cursor ? { after: { value: page.cursor.createdAt, id: page.cursor.iccid } } : {}),
      limit: limit + 1,
    },
  );
  const shown = found.slice(0, limit);
  const last = shown.at(-1);
  return {
    esims: shown,
    nextCursor:
      found.length > limit && last
        ? encodeCursor({ createdAt: last.createdAt, iccid: last.iccid })
        : null,
  };
}
