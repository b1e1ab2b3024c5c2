import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

export const isZodSchema = (value: unknown): value is z.ZodType =>
  typeof value === "object" && value !== null && "_zod" in value;

/**
 * A zod schema as JSON Schema 2020-12, the dialect OpenAPI 3.1 uses. `input` describes what a caller
 * may send (defaults optional, before transforms), `output` what the server answers.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

/** The properties of an object schema, for turning one into path, query or header parameters. */
export function objectProperties(schema: z.ZodObject, io: "input" | "output") {
  const json = jsonSchemaOf(schema, io);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    schema: property,
    required: required.has(name),
  }));
}
