/**
 * The OpenAPI 3.1 document, generated from the tRPC router and the REST route table: every schema in
 * it comes from the zod schemas the server validates with (zod's own toJSONSchema).
 */
import type { AnyTRPCRouter } from "@trpc/server";
// The API's version: @viewings/client is published with the same one (test/client-package.test.ts).
import apiPackage from "@viewings/api/package.json" with { type: "json" };
import { type RestRoute, restRoutes } from "../routes/rest/index.js";
import { callbackPaths } from "./callback-operations.js";
import { withNamedSchemas } from "./component-schemas.js";
import {
  restErrorSchema,
  restValidationErrorSchema,
  trpcErrorSchema,
  unauthorizedSchema,
} from "./error-schemas.js";
import { type JsonSchema, jsonSchemaOf } from "./json-schema.js";
import { assertUniqueOperationIds } from "./operation-ids.js";
import { listProcedures, procedureOperation } from "./procedure-operations.js";
import { restOperation } from "./rest-operations.js";
import { securitySchemes } from "./security.js";

const description = `Two ways in, one implementation: every REST route runs the tRPC procedure it names.

- **tRPC** at \`/trpc\`: queries are \`GET /trpc/<procedure>?input=<URL-encoded JSON>\`, mutations
  \`POST /trpc/<procedure>\` with a JSON body; answers are \`{"result": {"data": ...}}\`.
- **REST** for callers that do not speak tRPC: the old backend's paths and snake_case shapes,
  \`{"success": true, "data": ...}\` on success; 401 \`{"detail": "Unauthorized"}\`; 422 names each wrong field.

Timestamps are ISO 8601 strings with an offset.`;

const jsonResponse = (text: string, schema: JsonSchema) => ({
  description: text,
  content: { "application/json": { schema } },
});

export interface DocumentSources {
  router: AnyTRPCRouter;
  routes?: readonly RestRoute[];
}

export function buildOpenApiDocument({ router, routes = restRoutes }: DocumentSources) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const add = (path: string, method: string, operation: JsonSchema) => {
    paths[path] = { ...paths[path], [method]: operation };
  };
  for (const route of routes) add(route.path, route.method, restOperation(route));
  for (const [path, item] of Object.entries(callbackPaths())) paths[path] = item;
  for (const procedure of listProcedures(router)) {
    const { method, operation } = procedureOperation(procedure);
    add(`/trpc/${procedure.path}`, method, operation);
  }
  assertUniqueOperationIds(paths);
  return withNamedSchemas({
    openapi: "3.1.0",
    info: {
      title: "Viewings API",
      version: apiPackage.version,
      description,
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    // Relative: the document is served by the API it describes; generators resolve it against where they fetched it.
    servers: [{ url: "/", description: "The server this document was fetched from" }],
    paths,
    components: {
      securitySchemes,
      responses: {
        Unauthorized: jsonResponse(
          "Missing or rejected credentials",
          jsonSchemaOf(unauthorizedSchema, "output"),
        ),
        Forbidden: jsonResponse("Not allowed for this caller", jsonSchemaOf(restErrorSchema, "output")),
        InvalidInput: jsonResponse("Invalid input", jsonSchemaOf(restValidationErrorSchema, "output")),
        RestError: jsonResponse(
          "Refused (404 not found, 409 conflict, 412 precondition, 429, 503, ...)",
          jsonSchemaOf(restErrorSchema, "output"),
        ),
        TrpcError: jsonResponse("A tRPC error", jsonSchemaOf(trpcErrorSchema, "output")),
      },
    },
  });
}
