// GET /openapi.json: a valid OpenAPI 3.1 document generated from the router and the REST route table,
// covering every procedure and every REST route, with both security schemes, named component
// schemas, and no errors from Redocly's recommended lint rules.
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Validator } from "@seriousme/openapi-schema-validator";
import { appRouter } from "@viewings/api";
import { createFromClerkInput, listEventsOutput } from "@viewings/validators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { restRoutes } from "../src/routes/rest/index.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

type Operation = {
  operationId: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; content?: Record<string, { schema: unknown }> }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Document = {
  openapi: string;
  info: { version: string; license?: { name: string } };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; scheme: string }>;
  };
};

let server: TestServer;
let document: Document;
beforeAll(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.url}/openapi.json`);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  document = (await response.json()) as Document;
});
afterAll(() => server?.close());

const withoutDialect = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
};

/** The schema with every `#/components/schemas/X` reference replaced by X's body. */
const inlined = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(inlined);
  if (typeof node !== "object" || node === null) return node;
  const ref = (node as { $ref?: string }).$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
  if (ref) return inlined(document.components.schemas[ref]);
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlined(value)]));
};

describe("/openapi.json", () => {
  it("validates against the OpenAPI 3.1 schema (offline validator)", async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("has one operation per tRPC procedure: queries GET with ?input, mutations POST", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    expect(Object.keys(procedures).length).toBeGreaterThan(10);
    for (const [path, procedure] of Object.entries(procedures)) {
      const item = document.paths[`/trpc/${path}`];
      const method = procedure._def.type === "query" ? "get" : "post";
      expect(item?.[method]?.operationId, path).toBe(path);
    }
  });

  it("has every REST route, and every documented REST operation exists on the server", async () => {
    expect(restRoutes.length).toBe(15);
    for (const route of restRoutes)
      expect(document.paths[route.path]?.[route.method], route.path).toBeDefined();
    for (const path of [
      "/calendar/auth/callback",
      "/calendar/google/auth/callback",
      "/oauth/microsoft/callback",
    ]) {
      expect(document.paths[path]?.get, path).toBeDefined();
    }
    // An anonymous call to each documented REST operation is refused (401), not unknown (404).
    for (const route of restRoutes) {
      const path = route.path.replace(/\{\w+\}/g, "00000000-0000-4000-8000-000000000000");
      const response = await fetch(`${server.url}${path}`, { method: route.method.toUpperCase() });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it("declares the two bearer schemes and uses them per caller kind", () => {
    expect(document.components.securitySchemes).toMatchObject({
      clerkSession: { type: "http", scheme: "bearer" },
      serviceKey: { type: "http", scheme: "bearer" },
    });
    const security = (path: string, method: string) => document.paths[path]?.[method]?.security;
    expect(security("/users/create-from-clerk", "post")).toEqual([{ serviceKey: [] }]);
    expect(security("/users/me", "get")).toEqual([{ clerkSession: [] }]);
    expect(security("/calendar/events", "get")).toEqual([{ clerkSession: [] }, { serviceKey: [] }]);
    expect(security("/trpc/users.createFromClerk", "post")).toEqual([{ serviceKey: [] }]);
    expect(security("/trpc/events.list", "get")).toEqual([{ clerkSession: [] }]);
    expect(security("/trpc/users.byClerkId", "get")).toEqual([{ clerkSession: [] }, { serviceKey: [] }]);
    expect(security("/calendar/auth/callback", "get")).toEqual([]);
  });

  it("takes its schemas from the procedures' zod schemas, not from hand-written text", () => {
    const create = document.paths["/trpc/users.createFromClerk"]?.post;
    expect(inlined(create?.requestBody?.content["application/json"]?.schema)).toEqual(
      withoutDialect(createFromClerkInput, "input"),
    );
    const list = document.paths["/trpc/events.list"]?.get;
    const [input] = list?.parameters ?? [];
    expect(input).toMatchObject({ name: "input", in: "query" });
    expect(inlined(list?.responses["200"]?.content?.["application/json"]?.schema)).toEqual({
      type: "object",
      properties: {
        result: {
          type: "object",
          properties: { data: withoutDialect(listEventsOutput, "output") },
          required: ["data"],
        },
      },
      required: ["result"],
    });
    const legacy = document.paths["/calendar/availability"]?.get;
    expect(legacy?.parameters?.map((parameter) => parameter.name)).toEqual([
      "days_ahead",
      "start_hour",
      "end_hour",
      "duration_minutes",
      "include_weekends",
      "time_zone",
      "user_id",
    ]);
  });

  it("has no errors under Redocly's recommended rules (offline)", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: `${server.url}/openapi.json`,
      config,
    });
    const described = problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`,
    );
    expect(described.filter((line) => line.startsWith("error"))).toEqual([]);
    // What is left is what the old frontend fixed: its paths, and the OAuth callbacks, which only redirect.
    const explained = /^warn (no-ambiguous-paths|operation-[24]xx-response #\/paths\/[^/]*~1callback\/)/;
    expect(described.filter((line) => !explained.test(line))).toEqual([]);
  });

  it("names the records once in components/schemas and refers to them", () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        "User",
        "CalendarStatus",
        "Event",
        "Slot",
        "Agent",
        "Appointment",
        "TrpcError",
        "RestError",
      ]),
    );
    const me = document.paths["/trpc/users.me"]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    expect(JSON.stringify(me)).toContain('"$ref":"#/components/schemas/User"');
    // The user's fields are spelled out once for the tRPC shape (and once for the old REST shape).
    expect(JSON.stringify(document).match(/"microsoftCalendarConnected":\{/g)).toHaveLength(1);
  });

  it("has URL-safe, unique operationIds, servers and a license", () => {
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.paths["/users/create-from-clerk"]?.post?.operationId).toBe("postUsersCreateFromClerk");
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.info.license?.name).toBeTruthy();
  });

  it("describes a query's input as JSON, so generators encode it as one parameter", () => {
    const [input] = document.paths["/trpc/events.list"]?.get?.parameters ?? [];
    expect(input).toMatchObject({ name: "input", in: "query", content: { "application/json": {} } });
  });
});
