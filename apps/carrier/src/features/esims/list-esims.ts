import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import {
  afterCreatedAt,
  type CreatedAtCursor,
  createdAtCursorSchema,
  encodeCreatedAtCursor,
  pageLimitSchema,
  pageOf,
} from '../../http/page-query.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const listEsimsQuerySchema = z.object({
  limit: pageLimitSchema(
    MAX_PAGE_SIZE,
    `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`,
  ),
  cursor: createdAtCursorSchema(z.string().regex(/^[0-9]{19,20}$/)),
});

export interface EsimPage {
  readonly esims: readonly EsimRecord[];
  readonly nextCursor: string | null;
}

/** One page of a tenant's eSIMs, oldest first; keyset paging visits each eSIM exactly once. */
export async function listEsims(
  tx: StoreTx,
  tenantId: string,
  page: { readonly limit?: number; readonly cursor?: CreatedAtCursor },
): Promise<EsimPage> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const found = await tx.find(
    esims,
    { tenantId },
    {
      orderBy: 'createdAt',
      ...afterCreatedAt(page.cursor),
      limit: limit + 1,
    },
  );
  const { shown, nextCursor } = pageOf(found, limit, (last) =>
    encodeCreatedAtCursor({ createdAt: last.createdAt, id: last.iccid }),
  );
  return { esims: shown, nextCursor };
}
