/** The browser-facing OAuth callbacks (no credentials: the one-time state identifies the flow). */
import { z } from "zod";
import { legacyCallbackPaths } from "../routes/rest/index.js";
import type { JsonSchema } from "./json-schema.js";
import { objectProperties } from "./json-schema.js";

const callbackQuery = z.object({
  code: z.string().optional().describe("The authorization code"),
  state: z.string().optional().describe("The one-time state of the connect flow"),
  error: z.string().optional().describe("The provider's error, e.g. access_denied"),
});

function callbackOperation(provider: string, alias: boolean): JsonSchema {
  return {
    operationId: alias ? `legacy ${provider} callback` : `${provider} callback`,
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
    paths[`/oauth/${provider}/callback`] = { get: callbackOperation(provider, false) };
    paths[alias] = { get: callbackOperation(provider, true) };
  }
  return paths;
}
