/**
 * Operations for the tRPC procedures themselves, read from the router: `GET /trpc/<path>?input=<JSON>`
 * for queries, `POST /trpc/<path>` with a JSON body for mutations, answers wrapped in `result.data`.
 */
import type { AnyTRPCRouter } from "@trpc/server";
import type { ProcedureMeta } from "@viewings/api";
import type { z } from "zod";
import { isZodSchema, type JsonSchema, jsonSchemaOf } from "./json-schema.js";
import { securityFor, whoMayCall } from "./security.js";

interface ProcedureDefinition {
  type: "query" | "mutation" | "subscription";
  inputs: unknown[];
  output?: unknown;
  meta?: ProcedureMeta;
}

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation";
  input: z.ZodType | undefined;
  output: z.ZodType | undefined;
  auth: ProcedureMeta["auth"];
}

/** Every query and mutation of the router (subscriptions have no plain HTTP form). */
export function listProcedures(router: AnyTRPCRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDefinition }>;
  return Object.entries(procedures).flatMap(([path, procedure]) => {
    const def = procedure._def;
    if (def.type === "subscription") return [];
    if (def.inputs.length > 1) throw new Error(`${path}: several .input() parsers are not documented`);
    const [input] = def.inputs;
    return [
      {
        path,
        type: def.type,
        input: isZodSchema(input) ? input : undefined,
        output: isZodSchema(def.output) ? def.output : undefined,
        auth: def.meta?.auth ?? "public",
      },
    ];
  });
}

const errorResponse = { $ref: "#/components/responses/TrpcError" };

export function procedureOperation(procedure: ProcedureInfo): {
  method: "get" | "post";
  operation: JsonSchema;
} {
  const data = procedure.output ? jsonSchemaOf(procedure.output, "output") : {};
  const input = procedure.input ? jsonSchemaOf(procedure.input, "input") : undefined;
  const [tag = procedure.path] = procedure.path.split(".");
  const operation: JsonSchema = {
    operationId: procedure.path,
    tags: [`tRPC: ${tag}`],
    summary: procedure.path,
    description: `tRPC ${procedure.type}. ${whoMayCall[procedure.auth]}`,
    security: securityFor(procedure.auth),
    responses: {
      "200": {
        description: "The procedure's answer",
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: { result: { type: "object", properties: { data }, required: ["data"] } },
              required: ["result"],
            },
          },
        },
      },
      "4XX": errorResponse,
      "5XX": errorResponse,
    },
  };
  if (procedure.type === "query") {
    if (input) {
      operation.parameters = [
        {
          name: "input",
          in: "query",
          required: true,
          description: "The input as JSON (URL-encoded in the query string)",
          content: { "application/json": { schema: input } },
        },
      ];
    }
    return { method: "get", operation };
  }
  if (input) operation.requestBody = { required: true, content: { "application/json": { schema: input } } };
  return { method: "post", operation };
}
