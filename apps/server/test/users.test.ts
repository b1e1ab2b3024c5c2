import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcError } from "./support/expect-trpc-error.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const service = () => server.client(server.serviceKey);

describe("users.me", () => {
  it("creates the row on a signed-in user's first request from the session's claims", async () => {
    const client = await server.clientFor("user_me_1", "Me.One@Example.com");
    const me = await client.users.me.query();
    expect(me).toMatchObject({
      clerkUserId: "user_me_1",
      email: "me.one@example.com",
      microsoftCalendarConnected: false,
      googleCalendarConnected: false,
    });
    expect(new Date(me.createdAt).toISOString()).toBe(me.createdAt);
    expect(await client.users.me.query()).toEqual(me);
    expect(await server.db.user.count({ where: { clerkUserId: "user_me_1" } })).toBe(1);
  });

  it("refuses a caller without a session", async () => {
    expect((await trpcError(server.client().users.me.query())).code).toBe("UNAUTHORIZED");
  });

  it("refuses a service key, which identifies no user", async () => {
    expect((await trpcError(service().users.me.query())).code).toBe("UNAUTHORIZED");
  });
});

describe("users.createFromClerk", () => {
  const input = {
    clerkUserId: "user_cfc_1",
    email: "Owner@Example.com",
    firstName: "Ada",
    lastName: "Lovelace",
  };

  it("creates a user and is idempotent", async () => {
    const first = await service().users.createFromClerk.mutate(input);
    const again = await service().users.createFromClerk.mutate({ ...input, firstName: "Augusta" });
    expect(first).toMatchObject({ clerkUserId: "user_cfc_1", email: "owner@example.com", firstName: "Ada" });
    expect(again.id).toBe(first.id);
    expect(again.firstName).toBe("Augusta");
    expect(await server.db.user.count({ where: { clerkUserId: "user_cfc_1" } })).toBe(1);
  });

  it("keeps Clerk's created_at when given", async () => {
    const user = await service().users.createFromClerk.mutate({
      clerkUserId: "user_cfc_2",
      email: "created@example.com",
      createdAt: "2024-01-02T03:04:05.000Z",
    });
    expect(user.createdAt).toBe("2024-01-02T03:04:05.000Z");
  });

  it("answers CONFLICT for an email another Clerk user owns, whatever its letter case", async () => {
    const error = await trpcError(
      service().users.createFromClerk.mutate({ clerkUserId: "user_cfc_other", email: "OWNER@example.COM" }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(await server.db.user.count({ where: { clerkUserId: "user_cfc_other" } })).toBe(0);
  });

  it("answers BAD_REQUEST naming the wrong field and writes nothing", async () => {
    const error = await trpcError(
      service().users.createFromClerk.mutate({ clerkUserId: "user_cfc_bad", email: "not-an-email" }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("email");
    expect(error.data?.zodError?.fieldErrors).toHaveProperty("email");
    expect(await server.db.user.count({ where: { clerkUserId: "user_cfc_bad" } })).toBe(0);
  });

  it("rejects over-long names instead of truncating them", async () => {
    const error = await trpcError(
      service().users.createFromClerk.mutate({
        clerkUserId: "user_cfc_long",
        email: "long@example.com",
        firstName: "x".repeat(101),
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.data?.zodError?.fieldErrors).toHaveProperty("firstName");
  });

  it("is refused to a signed-in user", async () => {
    const client = await server.clientFor("user_cfc_3");
    const error = await trpcError(
      client.users.createFromClerk.mutate({ clerkUserId: "user_x", email: "x@example.com" }),
    );
    expect(error.code).toBe("UNAUTHORIZED");
  });
});

describe("users.byClerkId", () => {
  it("lets a signed-in user read themself", async () => {
    const client = await server.clientFor("user_by_1");
    const me = await client.users.me.query();
    expect(await client.users.byClerkId.query({ clerkUserId: "user_by_1" })).toEqual(me);
  });

  it("refuses a signed-in user reading another user's record", async () => {
    await service().users.createFromClerk.mutate({
      clerkUserId: "user_by_victim",
      email: "victim@example.com",
    });
    const client = await server.clientFor("user_by_2");
    expect((await trpcError(client.users.byClerkId.query({ clerkUserId: "user_by_victim" }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("lets a service read anyone and answers NOT_FOUND for an unknown id", async () => {
    const created = await service().users.createFromClerk.mutate({
      clerkUserId: "user_by_3",
      email: "by3@example.com",
    });
    expect(await service().users.byClerkId.query({ clerkUserId: "user_by_3" })).toEqual(created);
    expect((await trpcError(service().users.byClerkId.query({ clerkUserId: "user_nobody" }))).code).toBe(
      "NOT_FOUND",
    );
  });
});
