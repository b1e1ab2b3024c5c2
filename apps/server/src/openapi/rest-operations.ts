/** Operations for the REST adapters, from the same schemas the routes parse and answer with. */
import type { RestRoute } from "../routes/rest/index.js";
import { type JsonSchema, jsonSchemaOf, objectProperties } from "./json-schema.js";
import { operationIdFor } from "./operation-ids.js";
import { securityFor, whoMayCall } from "./security.js";

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

function parameters(route: RestRoute): JsonSchema[] {
  const fromObject = (place: "path" | "query", schema: RestRoute["request"]["query"]) =>
    schema
      ? objectProperties(schema, "input").map(({ name, schema: property, required }) => ({
          name,
          in: place,
          required: place === "path" || required,
          ...(typeof property.description === "string" ? { description: property.description } : {}),
          schema: property,
        }))
      : [];
  const headers = Object.entries(route.request.headers ?? {}).map(([name, description]) => ({
    name,
    in: "header",
    required: false,
    description,
    schema: { type: "string" },
  }));
  return [...fromObject("path", route.request.path), ...fromObject("query", route.request.query), ...headers];
}

function successResponse(route: RestRoute): JsonSchema {
  const content = { "application/json": { schema: jsonSchemaOf(route.response.schema, "output") } };
  if (route.response.status === 307) {
    return {
      description: route.response.description,
      headers: { Location: { description: "Where to send the browser", schema: { type: "string" } } },
      content,
    };
  }
  return { description: route.response.description, content };
}

export function restOperation(route: RestRoute): JsonSchema {
  const via = route.procedures.map((name) => `\`${name}\``).join(", ");
  const operation: JsonSchema = {
    operationId: operationIdFor(route.method, route.path),
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, whoMayCall[route.auth], `Runs the tRPC procedure ${via}.`]
      .filter(Boolean)
      .join("\n\n"),
    security: securityFor(route.auth),
    parameters: parameters(route),
    responses: {
      [String(route.response.status)]: successResponse(route),
      "401": ref("Unauthorized"),
      "403": ref("Forbidden"),
      "422": ref("InvalidInput"),
      default: ref("RestError"),
    },
  };
  if (route.request.body) {
    operation.requestBody = {
      // Routes that also take query parameters accept either.
      required: !route.request.query,
      content: { "application/json": { schema: jsonSchemaOf(route.request.body, "input") } },
    };
  }
  return operation;
}
