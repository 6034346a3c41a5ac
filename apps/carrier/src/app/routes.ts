import { healthRoutes } from '../features/health/routes.ts';
import { planRoutes } from '../features/plans/routes.ts';
import type { AnyRoute } from '../http/route.ts';

/** Every operation the carrier serves, in the order the API reference lists them. */
export const carrierRoutes: readonly AnyRoute[] = [...healthRoutes, ...planRoutes];
