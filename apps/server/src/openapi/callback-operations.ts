/** The browser-facing OAuth callbacks (no credentials: the one-time state identifies the flow). */
import { z } from "zod";
import { legacyCallbackPaths } from "../routes/rest/index.js";
import type { JsonSchema } from "./json-schema.js";
import { objectProperties } from "./json-schema.js";
import { operationIdFor } from "./operation-ids.js";

const callbackQuery = z.object({
  code: z.string().optional().describe("The authorization code"),
  state: z.string().optional().describe("The one-time state of the connect flow"),
  error: z.string().optional().describe("The provider's error, e.g. access_denied"),
});

function callbackOperation(provider: string, path: string, alias: boolean): JsonSchema {
  return {
    operationId: operationIdFor("get", path),
    tags: ["calendar connection"],
    summary: alias
      ? `The old ${provider} callback path (same handling as /oauth/${provider}/callback)`
      : `Where ${provider} sends the browser after consent`,
    security: [],
    parameters: objectProperties(callbackQuery, "input").map(({ name, schema }) => ({
      name,
      in: "query",
      required: false,
      ...(typeof schema.description === "string" ? { description: schema.description } : {}),
      schema,
    })),
    responses: {
      "303": {
        description: "To the frontend with auth=success, or auth=error&message=...",
        headers: { Location: { schema: { type: "string" } } },
      },
    },
  };
}

export function callbackPaths(): Record<string, Record<string, JsonSchema>> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [provider, alias] of Object.entries(legacyCallbackPaths)) {
    const path = `/oauth/${provider}/callback`;
    paths[path] = { get: callbackOperation(provider, path, false) };
    paths[alias] = { get: callbackOperation(provider, alias, true) };
  }
  return paths;
}
