import { type Iccid, parseIccid } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import { notFound } from '../../http/problem.ts';
import { type EsimRecord, esims, type Tenant } from '../../persistence/collections.ts';

/** An ICCID in a path: 19 or 20 digits with a valid Luhn digit; a padding `F` is dropped. */
export const iccidSchema = z
  .string()
  .transform((value, ctx): Iccid => {
    const parsed = parseIccid(value, 'iccid');
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.error.message });
    return z.NEVER;
  })
  .meta({
    description: 'ICCID: 19 or 20 digits starting 891 (a 19-digit ICCID may end in a padding F)',
    pattern: '^89[0-9]{17}(?:[0-9]|[Ff])?$',
    example: '8914101234567890121',
  });

/** `{iccid}` path parameters, for every route under `/v1/esims/{iccid}`. */
export const iccidParamsSchema = z.object({ iccid: iccidSchema });

/**
 * One tenant's eSIM, or 404 `esim_not_found`: another tenant's eSIM is reported exactly
 * like an unknown one, so ICCIDs cannot be probed across tenants.
 */
export async function findTenantEsim(
  tx: StoreTx,
  tenantId: string,
  iccid: string,
): Promise<EsimRecord> {
  const esim = await tx.get(esims, iccid);
  if (!esim || esim.tenantId !== tenantId) {
    throw notFound('esim', iccid, 'list your eSIMs with GET /v1/esims');
  }
  return esim;
}

/** The caller's tenant id on an `api-key` route (the router has authenticated it already). */
export function tenantIdOf(tenant: Tenant | undefined): string {
  if (!tenant) throw new Error('an api-key route ran without an authenticated tenant');
  return tenant.id;
}
