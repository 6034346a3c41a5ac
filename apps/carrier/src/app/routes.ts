import { auditRoutes } from '../features/audit/routes.ts';
import { cancellationRoutes } from '../features/cancellation/routes.ts';
import { clockRoutes } from '../features/clock/routes.ts';
import { configRoutes } from '../features/config/routes.ts';
import { coverageRoutes } from '../features/coverage/routes.ts';
import { deviceRoutes } from '../features/devices/routes.ts';
import { apiDescriptionRoutes } from '../features/docs/routes.ts';
import { esimRoutes } from '../features/esims/routes.ts';
import { faultRoutes } from '../features/faults/routes.ts';
import { gatewayRoutes } from '../features/gateway/routes.ts';
import { healthRoutes } from '../features/health/routes.ts';
import { journalRoutes } from '../features/journal/routes.ts';
import { ledgerRoutes } from '../features/ledger/routes.ts';
import { lpaRoutes } from '../features/lpa/routes.ts';
import { planRoutes } from '../features/plans/routes.ts';
import { renewalRoutes } from '../features/renewals/routes.ts';
import { resetRoutes } from '../features/reset/routes.ts';
import { crashPointRoutes } from '../features/saga/routes.ts';
import { seedRoutes } from '../features/seed/routes.ts';
import { tenantRoutes } from '../features/tenants/routes.ts';
import { topupRoutes } from '../features/topups/routes.ts';
import { usageRoutes } from '../features/usage/routes.ts';
import { webhookRoutes } from '../features/webhooks/routes.ts';
import type { AnyRoute } from '../http/route.ts';

/** Every operation the carrier serves, in the order the API reference lists them. */
export const carrierRoutes: readonly AnyRoute[] = [
  ...healthRoutes,
  ...planRoutes,
  ...esimRoutes,
  ...renewalRoutes,
  ...cancellationRoutes,
  ...topupRoutes,
  ...webhookRoutes,
  ...lpaRoutes,
  ...coverageRoutes,
  ...gatewayRoutes,
  ...auditRoutes,
  ...ledgerRoutes,
  ...crashPointRoutes,
  ...faultRoutes,
  ...clockRoutes,
  ...deviceRoutes,
  ...usageRoutes,
  ...tenantRoutes,
  ...configRoutes,
  ...journalRoutes,
  ...resetRoutes,
  ...seedRoutes,
  ...apiDescriptionRoutes(() => carrierRoutes),
];
