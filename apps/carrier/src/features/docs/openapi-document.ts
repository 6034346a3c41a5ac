import type { CarrierProfile } from '@esimlab/domain';
import type { z } from 'zod';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../http/idempotency.ts';
import type { AnyRoute, RouteResponseSpec } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { type JsonSchema, JsonSchemaComponents } from './internal/json-schema-components.ts';

export const OPENAPI_VERSION = '3.1.0';

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

export interface OpenApiResponse {
  readonly description: string;
  readonly content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly parameters: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly content: Record<string, { schema: JsonSchema }>;
  };
  readonly responses: Record<string, OpenApiResponse>;
  readonly security: readonly Record<string, readonly string[]>[];
  /** Who may call it: `api-key`, `public` or `control-plane`. */
  readonly 'x-access': AnyRoute['access'];
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string; readonly description: string }[];
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: {
    readonly schemas: Record<string, JsonSchema>;
    readonly securitySchemes: Record<string, Record<string, string>>;
  };
}

const PROBLEM_JSON = 'application/problem+json';

const securitySchemes = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A tenant API key: `Authorization: Bearer sk_test_…` (the dev key is `sk_test_esimlab`)',
  },
  adminToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Sim-Admin-Token',
    description: 'Required on /_sim/* only when the carrier was started with ESIMLAB_ADMIN_TOKEN',
  },
};

const securityOf: Record<AnyRoute['access'], OpenApiOperation['security']> = {
  'api-key': [{ apiKey: [] }],
  public: [],
  // `{}` marks the token optional: it is only checked when the carrier has one.
  'control-plane': [{ adminToken: [] }, {}],
};

/**
 * The carrier's OpenAPI 3.1 description, generated from the same route declarations the
 * router validates with, so the document cannot drift from what the server accepts.
 */
export function buildOpenApiDocument(
  routes: readonly AnyRoute[],
  profile: CarrierProfile,
): OpenApiDocument {
  const components = new JsonSchemaComponents();
  // Responses first, so shared components get their plain names from the shapes clients read.
  for (const route of routes) {
    for (const spec of Object.values(route.responses)) {
      if (spec.schema) components.convert(spec.schema, 'output');
    }
  }
  const problem = components.convert(problemSchema, 'output');

  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  const tags: string[] = [];
  for (const route of routes) {
    if (!tags.includes(route.tag)) tags.push(route.tag);
    const requestBody = route.body ? requestBodyOf(route.body, components) : undefined;
    const operation: OpenApiOperation = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: parametersOf(route, components),
      ...(requestBody ? { requestBody } : {}),
      responses: responsesOf(route, components, problem),
      security: securityOf[route.access],
      'x-access': route.access,
    };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, OpenApiOperation>)[route.method] = operation;
  }

  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: `esimlab mock carrier: ${profile.displayName} (${profile.id})`,
      version: '1.0.0',
      description: [
        `A simulated US carrier for eSIM provisioning and data top-ups. Home time zone ${profile.timeZone};`,
        `default API style \`${profile.defaultApiStyle}\` (switch it with PATCH /_sim/config).`,
        'Money is `{amount: <integer minor units>, currency: "USD"}`, data is in bytes, times are ISO 8601 UTC.',
        'Errors are RFC 9457 `application/problem+json` with a stable snake_case `code`.',
      ].join(' '),
    },
    servers: [{ url: '/', description: 'This carrier' }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: { schemas: components.schemas, securitySchemes },
  };
}

function parametersOf(route: AnyRoute, components: JsonSchemaComponents): OpenApiParameter[] {
  const declared = propertiesOf(route.params ? components.convert(route.params, 'input') : {});
  const pathParams = [...route.path.matchAll(/\{([a-zA-Z]+)\}/g)].map(([, name = '']) =>
    parameter(name, 'path', true, declared.properties[name] ?? { type: 'string' }),
  );
  const query = route.query ? propertiesOf(components.convert(route.query, 'input')) : undefined;
  const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) =>
    parameter(name, 'query', query?.required.has(name) ?? false, schema),
  );
  const headers = route.idempotencyKey
    ? [
        parameter('Idempotency-Key', 'header', route.idempotencyKey === 'required', {
          type: 'string',
          minLength: 1,
          maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
          description:
            'A unique value per operation (e.g. a UUID), reused on every retry: the same key and body replay the first response',
        }),
      ]
    : [];
  return [...pathParams, ...queryParams, ...headers];
}

function parameter(
  name: string,
  where: OpenApiParameter['in'],
  required: boolean,
  schema: JsonSchema,
): OpenApiParameter {
  const { description, ...rest } = schema;
  return {
    name,
    in: where,
    required,
    ...(typeof description === 'string' ? { description } : {}),
    schema: rest,
  };
}

function propertiesOf(schema: JsonSchema): {
  properties: Record<string, JsonSchema>;
  required: Set<string>;
} {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return { properties, required };
}

function requestBodyOf(
  body: z.ZodType,
  components: JsonSchemaComponents,
): NonNullable<OpenApiOperation['requestBody']> {
  return {
    // A body schema that accepts nothing at all makes the body optional.
    required: !body.safeParse(undefined).success,
    content: { 'application/json': { schema: components.convert(body, 'input') } },
  };
}

function responsesOf(
  route: AnyRoute,
  components: JsonSchemaComponents,
  problem: JsonSchema,
): Record<string, OpenApiResponse> {
  const problemResponse = (description: string): OpenApiResponse => ({
    description,
    content: { [PROBLEM_JSON]: { schema: problem } },
  });
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, spec] of Object.entries(route.responses) as [string, RouteResponseSpec][]) {
    // The router answers every error as problem+json, whatever the declaration says.
    responses[status] =
      Number(status) >= 400 && !spec.contentType
        ? {
            description: spec.description,
            content: {
              [PROBLEM_JSON]: {
                schema: spec.schema ? components.convert(spec.schema, 'output') : problem,
              },
            },
          }
        : responseOf(spec, components);
  }
  const takesInput = Boolean(route.body || route.query || route.params || route.idempotencyKey);
  const implied: [string, string, boolean][] = [
    ['400', 'Malformed or invalid input (`invalid_request`)', takesInput],
    ['401', 'Missing or unknown API key (`unauthenticated`)', route.access === 'api-key'],
    [
      '401',
      'Missing or wrong X-Sim-Admin-Token, when the carrier has one (`unauthenticated`)',
      route.access === 'control-plane',
    ],
    ['413', 'The body is over 64 KiB (`payload_too_large`)', route.body !== undefined],
    ['415', 'The body is not JSON (`unsupported_media_type`)', route.body !== undefined],
  ];
  for (const [status, description, applies] of implied) {
    if (applies && !responses[status]) responses[status] = problemResponse(description);
  }
  return responses;
}

function responseOf(spec: RouteResponseSpec, components: JsonSchemaComponents): OpenApiResponse {
  const contentType = spec.contentType ?? 'application/json';
  if (spec.schema) {
    return {
      description: spec.description,
      content: { [contentType]: { schema: components.convert(spec.schema, 'output') } },
    };
  }
  if (spec.contentType) {
    const binary = !/json|text|html|xml/.test(contentType);
    return {
      description: spec.description,
      content: {
        [contentType]: {
          schema: binary ? { type: 'string', contentMediaType: contentType } : { type: 'string' },
        },
      },
    };
  }
  return { description: spec.description };
}
