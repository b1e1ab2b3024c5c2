/**
 * The records the document names (components/schemas) instead of inlining at every use, so
 * generators emit one `User` type rather than eight anonymous copies. Naming happens after the
 * document is built: any schema equal to a named one's JSON becomes a `$ref`, whichever route or
 * procedure produced it, so routes added or reshaped later are covered without listing them here.
 */
import {
  agentSchema,
  agentWithSecretSchema,
  appointmentSchema,
  availabilityOutput,
  calendarEventSchema,
  calendarProviderStatusSchema,
  missingProviderSchema,
  userSchema,
} from "@viewings/validators";
import type { z } from "zod";
import * as legacyShapes from "../routes/rest/legacy-shapes.js";
import {
  restErrorSchema,
  restValidationErrorSchema,
  trpcErrorSchema,
  unauthorizedSchema,
} from "./error-schemas.js";
import { isZodSchema, type JsonSchema, jsonSchemaOf } from "./json-schema.js";

const domainSchemas: Record<string, z.ZodType> = {
  User: userSchema,
  CalendarStatus: calendarProviderStatusSchema,
  Event: calendarEventSchema,
  MissingProvider: missingProviderSchema,
  Slot: availabilityOutput.shape.slots.element,
  Agent: agentSchema,
  AgentWithSecret: agentWithSecretSchema,
  Appointment: appointmentSchema,
  TrpcError: trpcErrorSchema,
  RestError: restErrorSchema,
  RestValidationError: restValidationErrorSchema,
  Unauthorized: unauthorizedSchema,
};

/** The old backend's shapes, each `legacyXSchema` exported by the REST layer named `LegacyX`. */
function legacySchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(
    Object.entries(legacyShapes as Record<string, unknown>).flatMap(([name, value]) =>
      /^legacy\w+Schema$/.test(name) && isZodSchema(value)
        ? [[`L${name.slice(1, -"Schema".length)}`, value]]
        : [],
    ),
  );
}

const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The document with every schema equal to a named one replaced by a `$ref`, and the named schemas
 * it refers to (with the same replacement inside them) in components/schemas.
 */
export function withNamedSchemas<D extends { components: object }>(
  document: D,
): D & { components: { schemas: Record<string, JsonSchema> } } {
  const bodies = new Map<string, JsonSchema>();
  const nameOf = new Map<string, string>();
  for (const [name, schema] of Object.entries({ ...domainSchemas, ...legacySchemas() })) {
    const json = jsonSchemaOf(schema, "output");
    const key = JSON.stringify(json);
    // Two names for one shape: the first (the domain's) wins.
    if (!nameOf.has(key)) nameOf.set(key, name);
    bodies.set(name, json);
  }

  const used = new Set<string>();
  const replace = (node: unknown, self?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => replace(item));
    if (typeof node !== "object" || node === null) return node;
    const name = nameOf.get(JSON.stringify(node));
    if (name && name !== self) {
      used.add(name);
      return componentRef(name);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value)]));
  };

  const named = replace(document) as D;
  const schemas: Record<string, JsonSchema> = {};
  // A named schema may contain others (an Event inside a listing): resolve until nothing new is used.
  for (
    let pending = [...used];
    pending.length > 0;
    pending = [...used].filter((name) => !(name in schemas))
  ) {
    for (const name of pending) schemas[name] = replace(bodies.get(name), name) as JsonSchema;
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { ...named, components: { ...named.components, schemas: sorted } };
}
