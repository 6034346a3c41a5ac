import { toIso } from '@esimlab/domain';
import { UniqueViolationError } from '@esimlab/store';
import { z } from 'zod';
import { ProblemError } from '../../http/problem.ts';
import { defineRoute } from '../../http/route.ts';
import { isoTime } from '../../http/schemas.ts';
import { type Tenant, tenants } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { hashApiKey } from './tenant-keys.ts';

const tenantSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: isoTime })
  .meta({ id: 'Tenant' });

const createdTenantSchema = tenantSchema
  .extend({
    apiKey: z.string().meta({ description: 'Shown once: the carrier keeps only its hash' }),
  })
  .meta({ id: 'CreatedTenant' });

const tenantView = (tenant: Tenant): z.infer<typeof tenantSchema> => ({
  id: tenant.id,
  name: tenant.name,
  createdAt: toIso(tenant.createdAt),
});

const tenantExists = (name: string): ProblemError =>
  new ProblemError(
    409,
    'tenant_already_exists',
    `a tenant named "${name}" already exists; pick another name (GET /_sim/tenants lists them)`,
  );

export const tenantRoutes = [
  defineRoute({
    method: 'post',
    path: '/_sim/tenants',
    operationId: 'createTenant',
    summary: 'Create a tenant and its API key',
    tag: 'Control plane',
    access: 'control-plane',
    body: z.strictObject({
      name: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .meta({ description: "The tenant's unique name", example: 'acme' }),
    }),
    responses: {
      201: { description: 'The tenant, with its API key', schema: createdTenantSchema },
      409: { description: 'The name is taken (`tenant_already_exists`)' },
    },
    async handle({ body }, context) {
      const apiKey = `sk_test_${context.secrets.token(24)}`;
      const tenant: Tenant = {
        id: context.ids.next('ten'),
        name: body.name,
        apiKeyHash: hashApiKey(apiKey),
        createdAt: context.clock.now(),
      };
      try {
        await context.store.transaction(async (tx) => {
          if ((await tx.count(tenants, { name: body.name })) > 0) throw tenantExists(body.name);
          await tx.insert(tenants, tenant);
          await recordEvent(tx, context, {
            type: 'tenant.created',
            tenantId: tenant.id,
            data: { name: tenant.name },
          });
        });
      } catch (error) {
        // Two concurrent creations of one name: the unique index decides.
        if (error instanceof UniqueViolationError) throw tenantExists(body.name);
        throw error;
      }
      return { status: 201, body: { ...tenantView(tenant), apiKey } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/_sim/tenants',
    operationId: 'listTenants',
    summary: 'List tenants (without their keys)',
    tag: 'Control plane',
    access: 'control-plane',
    responses: {
      200: { description: 'Every tenant', schema: z.object({ data: z.array(tenantSchema) }) },
    },
    async handle(_input, context) {
      const all = await context.store.transaction((tx) =>
        tx.find(tenants, {}, { orderBy: 'name' }),
      );
      return { status: 200, body: { data: all.map(tenantView) } };
    },
  }),
];
