import type { CarrierContext } from '../../app/carrier-context.ts';
import { type AnyRoute, defineRoute } from '../../http/route.ts';
import { renderApiReference } from './api-reference-page.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.ts';

interface ApiDescription {
  readonly document: OpenApiDocument;
  readonly json: string;
  readonly html: string;
}

/**
 * `GET /openapi.json` and `GET /docs`, describing the routes `routesOf` returns. It is a
 * function so the list can include these two routes; both are built once per app.
 */
export function apiDescriptionRoutes(routesOf: () => readonly AnyRoute[]): AnyRoute[] {
  const built = new WeakMap<CarrierContext, ApiDescription>();
  const describe = (context: CarrierContext): ApiDescription => {
    let description = built.get(context);
    if (!description) {
      const document = buildOpenApiDocument(routesOf(), context.profile);
      description = {
        document,
        json: JSON.stringify(document),
        html: renderApiReference(document),
      };
      built.set(context, description);
    }
    return description;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This API described as OpenAPI 3.1',
      tag: 'Operations',
      access: 'public',
      responses: { 200: { description: 'The OpenAPI document', contentType: 'application/json' } },
      async handle(_input, context) {
        return {
          status: 200,
          raw: { contentType: 'application/json; charset=utf-8', data: describe(context).json },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/docs',
      operationId: 'getApiReference',
      summary: 'The API reference as one offline HTML page',
      tag: 'Operations',
      access: 'public',
      responses: { 200: { description: 'The reference page', contentType: 'text/html' } },
      async handle(_input, context) {
        return {
          status: 200,
          raw: { contentType: 'text/html; charset=utf-8', data: describe(context).html },
        };
      },
    }),
  ];
}
