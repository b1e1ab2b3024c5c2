// Property-based fuzzing (fast-check) of every tRPC procedure's input, every REST route's path, query
// and body, and signed Clerk webhook bodies, over the real HTTP stack with both calendars connected:
// never a 5xx, and a refused request (4xx) never leaves a partial write behind.
import { appRouter } from "@viewings/api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listProcedures } from "../src/openapi/procedure-operations.js";
import { restRoutes } from "../src/routes/rest/index.js";
import { expressPath } from "../src/routes/rest/mount-rest-routes.js";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";
import { newWebhookSecret, postDelivery, signDelivery } from "./support/svix.js";

const webhookSecret = newWebhookSecret();
let env: EventsEnv;
let userToken: string;
let userId: string;
beforeAll(async () => {
  env = await startEventsEnv({
    CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
    CORS_ORIGINS: "https://app.viewings.test",
  });
  const user = await env.user("user_fuzz", ["microsoft", "google"]);
  userId = user.id;
  userToken = await env.server.clerk.sessionToken("user_fuzz", {
    claims: { email: "user_fuzz@example.com" },
  });
}, 60_000);
afterAll(() => env?.close());

/** Strings that broke things once, values near every bound, and arbitrary text. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "x".repeat(101),
    "x".repeat(256),
    "y".repeat(3000),
    "9999-12-31T23:59:59-23:59",
    "0000-01-01T00:00:00Z",
    "2030-03-05T15:00:00Z",
    "2030-03-05T15:30:00-06:00",
    "2030-03-05T15:00:00",
    "microsoft",
    "google",
    "America/Chicago",
    "https://app.viewings.test/users",
    "https://evil.example/",
    "ann@example.com",
    userIdPlaceholder(),
    "00000000-0000-4000-8000-000000000000",
    "true",
    "-1",
    "1e400",
    "",
    "__proto__",
  ),
);

/** The fuzz user's id is known only after setup; the arbitrary asks for it when it runs. */
function userIdPlaceholder() {
  return "%USER_ID%";
}
const withUserId = (json: string) => json.replaceAll("%USER_ID%", userId);
/** A value as it travels in a URL: strings as they are, anything else as its JSON. */
const asUrlText = (value: unknown) =>
  withUserId(typeof value === "string" ? value : (JSON.stringify(value) ?? ""));

const hostileScalar = fc.oneof(
  hostileString,
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 9e15, 1e308, -1e308, 0.5),
  fc.boolean(),
  fc.constant(null),
);
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileScalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie("value"), { maxKeys: 3 }),
  ),
}));

/** Objects over a schema's own keys (so validation goes deep), each key optional; or anything at all. */
function inputFor(keys: string[]) {
  const record = fc.record(Object.fromEntries(keys.map((key) => [key, hostileValue])), { requiredKeys: [] });
  return keys.length > 0
    ? fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: hostileValue })
    : hostileValue;
}

function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Row counts and latest changes of every table a request could write (rate counters excluded). */
async function fingerprint(): Promise<string> {
  const [row] = await env.server.db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM users) AS users,
           (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM agents) AS agents,
           (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM user_calendar_connections) AS connections,
           (SELECT count(*)::text FROM bookings) AS bookings,
           (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM appointments) AS appointments,
           (SELECT count(*)::text FROM oauth_states) AS states,
           (SELECT count(*)::text FROM pending_calendar_connections) AS pending,
           (SELECT count(*)::text FROM deleted_clerk_users) AS tombstones`;
  return JSON.stringify(row);
}

/** Sends one request; a 5xx fails the property, a 4xx must have changed nothing. */
async function expectNoFaultOrPartialWrite(send: () => Promise<number>, what: string) {
  const before = await fingerprint();
  const status = await send();
  expect(status, what).toBeLessThan(500);
  if (status >= 400) expect(await fingerprint(), `${what} answered ${status} but wrote`).toBe(before);
}

const bearerFor = (auth: string) => (auth === "service" ? env.server.serviceKey : userToken);

describe("fuzzing every door", () => {
  it("tRPC: every procedure's input", async () => {
    const procedures = listProcedures(appRouter);
    expect(procedures.length).toBeGreaterThan(15);
    for (const procedure of procedures) {
      await fc.assert(
        fc.asyncProperty(inputFor(keysOf(procedure.input)), async (input) => {
          const json = withUserId(JSON.stringify(input) ?? "null");
          const headers = { authorization: `Bearer ${bearerFor(procedure.auth)}` };
          await expectNoFaultOrPartialWrite(
            async () => {
              const url = `${env.server.url}/trpc/${procedure.path}`;
              const response =
                procedure.type === "query"
                  ? await fetch(`${url}?input=${encodeURIComponent(json)}`, { headers })
                  : await fetch(url, {
                      method: "POST",
                      headers: { ...headers, "content-type": "application/json" },
                      body: json,
                    });
              await response.arrayBuffer();
              return response.status;
            },
            `${procedure.path} ${json.slice(0, 200)}`,
          );
        }),
        { numRuns: 60 },
      );
    }
  }, 120_000);

  it("REST: every route's path, query and body", async () => {
    for (const route of restRoutes) {
      const pathKeys = keysOf(route.request.path);
      const arbitrary = fc.record({
        path: fc.record(Object.fromEntries(pathKeys.map((key) => [key, hostileString]))),
        query: inputFor(keysOf(route.request.query)),
        body: inputFor(keysOf(route.request.body)),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ path, query, body }) => {
          let url = expressPath(route.path);
          for (const [key, value] of Object.entries(path)) {
            url = url.replace(`:${key}`, encodeURIComponent(asUrlText(value) || "x"));
          }
          const search = new URLSearchParams();
          if (query && typeof query === "object" && !Array.isArray(query)) {
            for (const [key, value] of Object.entries(query)) search.set(key, asUrlText(value));
          }
          const hasBody = route.method !== "get";
          await expectNoFaultOrPartialWrite(async () => {
            const response = await fetch(`${env.server.url}${url}?${search}`, {
              method: route.method.toUpperCase(),
              redirect: "manual",
              headers: {
                authorization: `Bearer ${bearerFor(route.auth)}`,
                ...(hasBody ? { "content-type": "application/json" } : {}),
              },
              ...(hasBody ? { body: withUserId(JSON.stringify(body) ?? "null") } : {}),
            });
            await response.arrayBuffer();
            return response.status;
          }, `${route.method} ${url}?${search}`);
        }),
        { numRuns: 40 },
      );
    }
  }, 120_000);

  it("Clerk webhook: signed bodies of every shape are acknowledged, never 5xx", async () => {
    const emailAddress = fc.record({ id: hostileString, email_address: hostileString }, { requiredKeys: [] });
    const data = fc.record(
      {
        id: fc.oneof(hostileString, fc.constantFrom("user_fuzz_hook_a", "user_fuzz_hook_b")),
        email_addresses: fc.oneof(fc.array(emailAddress, { maxLength: 2 }), hostileValue),
        primary_email_address_id: hostileValue,
        first_name: hostileValue,
        last_name: hostileValue,
        created_at: hostileScalar,
        updated_at: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), hostileScalar),
        deleted: hostileValue,
      },
      { requiredKeys: [] },
    );
    const event = fc.record(
      {
        object: fc.oneof(fc.constant("event"), hostileValue),
        type: fc.oneof(
          fc.constantFrom("user.created", "user.updated", "user.deleted", "session.created"),
          hostileString,
        ),
        data: fc.oneof({ weight: 5, arbitrary: data }, { weight: 1, arbitrary: hostileValue }),
        timestamp: hostileScalar,
      },
      { requiredKeys: ["object", "type", "data"] },
    );
    const svixId = fc.oneof(
      fc.uuid().map((id) => `msg_${id}`),
      fc.string({ minLength: 256, maxLength: 400 }).map((s) => `msg_${s.replace(/[^\w]/g, "x")}`),
    );
    await fc.assert(
      fc.asyncProperty(event, svixId, async (body, id) => {
        const response = await postDelivery(
          env.server.url,
          signDelivery(webhookSecret, body, { svixId: id }),
        );
        expect(response.status, JSON.stringify(body).slice(0, 300)).toBe(200);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
