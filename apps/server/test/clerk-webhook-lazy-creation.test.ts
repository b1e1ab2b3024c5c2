// Users never depend on the webhook: the first authenticated request creates the row, from the session's
// claims or, when the token carries no email, from Clerk's Backend API (a loopback server here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClerkApiServer, startClerkApiServer } from "./support/clerk-api-server.js";
import { trpcError } from "./support/expect-trpc-error.js";
import {
  clerkUserDeletedEvent,
  clerkUserEvent,
  newWebhookSecret,
  postDelivery,
  signDelivery,
} from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const secret = newWebhookSecret();
let clerkApi: ClerkApiServer;
let server: TestServer;

beforeAll(async () => {
  clerkApi = await startClerkApiServer();
  server = await startTestServer({ CLERK_WEBHOOK_SECRET: secret, CLERK_API_URL: clerkApi.url });
});
afterAll(async () => {
  await server?.close();
  await clerkApi?.close();
});

describe("lazy creation on the first authenticated request", () => {
  it("uses the session's claims, then a later user.created webhook updates the same row", async () => {
    const id = "user_lazy_claims";
    const token = await server.clerk.sessionToken(id, {
      claims: { email: "Claims@Example.com", first_name: "Clara", last_name: "Claims" },
    });
    const me = await server.client(token).users.me.query();
    expect(me).toMatchObject({
      clerkUserId: id,
      email: "claims@example.com",
      firstName: "Clara",
      lastName: "Claims",
    });
    expect(clerkApi.requests.filter((request) => request.path.endsWith(id))).toHaveLength(0);

    const event = clerkUserEvent("user.created", {
      id,
      email: "claims@example.com",
      firstName: "Clara",
      lastName: "C.",
      updatedAt: Date.now(),
    });
    expect((await postDelivery(server.url, signDelivery(secret, event))).body.outcome).toBe("applied");
    expect(await server.db.user.findUnique({ where: { clerkUserId: id } })).toMatchObject({
      id: me.id,
      lastName: "C.",
    });
  });

  it("reads the profile from Clerk's Backend API (GET /v1/users/{id}) when the token has no email claim", async () => {
    const id = "user_lazy_api";
    const createdAt = Date.UTC(2025, 5, 1);
    clerkApi.users.set(id, {
      id,
      email: "From.API@Example.com",
      firstName: "Api",
      lastName: "User",
      createdAt,
      updatedAt: createdAt,
    });
    const token = await server.clerk.sessionToken(id);
    const me = await server.client(token).users.me.query();
    expect(me).toMatchObject({
      clerkUserId: id,
      email: "from.api@example.com",
      firstName: "Api",
      lastName: "User",
    });
    expect(me.createdAt).toBe(new Date(createdAt).toISOString());
    expect(clerkApi.requests).toContainEqual({
      method: "GET",
      path: `/v1/users/${id}`,
      authorization: `Bearer ${server.clerk.secretKey}`,
    });
  });

  it("does not ask Clerk about, nor recreate, a user whose deletion arrived", async () => {
    const id = "user_lazy_deleted";
    clerkApi.users.set(id, { id, email: "deleted@example.com", updatedAt: Date.now() });
    expect((await postDelivery(server.url, signDelivery(secret, clerkUserDeletedEvent(id)))).status).toBe(
      200,
    );
    const token = await server.clerk.sessionToken(id);
    expect(await trpcError(server.client(token).users.me.query())).toMatchObject({ code: "NOT_FOUND" });
    expect(clerkApi.requests.filter((request) => request.path.endsWith(id))).toHaveLength(0);
    expect(await server.db.user.count({ where: { clerkUserId: id } })).toBe(0);
  });
});
