// The existing frontend's Clerk webhook handler (src/lib/auth/clerk-webhooks.ts) forwards user.updated
// as PATCH /users/by-clerk-id/{id} {email: email_addresses[0], first_name, last_name, updated_at} and
// user.deleted as DELETE /users/by-clerk-id/{id}, with the Clerk secret key; it reads only response.ok.
// Those calls follow the Clerk webhook's rules, and mix with this backend's own webhook deliveries.
// Also here: tokens from the app's `pete-next` JWT template.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foreignSigningKey } from "./support/clerk-instance.js";
import { type LegacyFrontend, legacyFrontend } from "./support/legacy-frontend.js";
import { rest } from "./support/rest-client.js";
import {
  clerkUserDeletedEvent,
  clerkUserEvent,
  newWebhookSecret,
  postDelivery,
  signDelivery,
} from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const webhookSecret = newWebhookSecret();
let server: TestServer;
let app: LegacyFrontend;
let secretKey: string;
beforeAll(async () => {
  // No SERVICE_API_KEYS: CLERK_SECRET_KEY is the service credential, as the app uses it.
  server = await startTestServer({ SERVICE_API_KEYS: "", CLERK_WEBHOOK_SECRET: webhookSecret });
  app = legacyFrontend(server.url);
  secretKey = server.clerk.secretKey;
});
afterAll(() => server?.close());

type Json = Record<string, unknown>;
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();

/** What the app's handler sends for a user.updated event. */
const updated = (email: string, firstName: string, updatedAt: string) => ({
  email,
  first_name: firstName,
  last_name: "Stone",
  updated_at: updatedAt,
});

const stored = async (clerkUserId: string) => app.userByClerkId(secretKey, clerkUserId);

describe("PATCH /users/by-clerk-id/{id} (user.updated)", () => {
  it("applies a newer profile and answers 2xx", async () => {
    await app.createFromClerk(secretKey, { clerk_user_id: "user_sync_a", email: "a1@example.com" });
    const answer = await app.webhookUpdate(
      secretKey,
      "user_sync_a",
      updated("a2@example.com", "Ada", at(10)),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ success: true, outcome: "applied" });
    expect((await stored("user_sync_a")).body.data).toMatchObject({
      email: "a2@example.com",
      first_name: "Ada",
      last_name: "Stone",
    });
  });

  it("an older update never overwrites a newer one (outcome stale, still 2xx)", async () => {
    const answer = await app.webhookUpdate(secretKey, "user_sync_a", updated("a0@example.com", "Old", at(5)));
    expect(answer.status).toBe(200);
    expect(answer.body.outcome).toBe("stale");
    expect((await stored("user_sync_a")).body.data).toMatchObject({
      email: "a2@example.com",
      first_name: "Ada",
    });
  });

  it("keeps the creation time, and creates a user it has never seen", async () => {
    const before = (await stored("user_sync_a")).body.data as Json;
    await app.webhookUpdate(secretKey, "user_sync_a", updated("a3@example.com", "Ada", at(20)));
    expect(((await stored("user_sync_a")).body.data as Json).created_at).toBe(before.created_at);

    const fresh = await app.webhookUpdate(
      secretKey,
      "user_sync_new",
      updated("new@example.com", "Neo", at(1)),
    );
    expect(fresh.body).toMatchObject({ outcome: "applied", data: { email: "new@example.com" } });
  });

  it("orders against this backend's own webhook deliveries by Clerk's updated_at", async () => {
    const deliver = async (payload: unknown) =>
      (await postDelivery(server.url, signDelivery(webhookSecret, payload))).body.outcome;
    const user = { id: "user_sync_mixed", email: "primary@example.com", firstName: "Mo" };
    expect(await deliver(clerkUserEvent("user.created", { ...user, updatedAt: Date.parse(at(10)) }))).toBe(
      "applied",
    );
    // The app forwards the same event: it names email_addresses[0], which here is not the primary
    // address. At the same version the webhook's reading stays.
    const same = await app.webhookUpdate(secretKey, user.id, updated("secondary@example.org", "Mo", at(10)));
    expect(same.body.outcome).toBe("stale");
    expect(((await stored(user.id)).body.data as Json).email).toBe("primary@example.com");
    // A newer forwarded profile applies; then an older webhook delivery is stale.
    await app.webhookUpdate(secretKey, user.id, updated("primary@example.com", "Moe", at(30)));
    expect(await deliver(clerkUserEvent("user.updated", { ...user, updatedAt: Date.parse(at(20)) }))).toBe(
      "stale",
    );
    expect(((await stored(user.id)).body.data as Json).first_name).toBe("Moe");
  });

  it("refuses bad input with 422 naming the field, and a signed-in user with 403", async () => {
    const noVersion = await app.webhookUpdate(secretKey, "user_sync_a", { email: "x@example.com" });
    expect(noVersion.status).toBe(422);
    expect(String(noVersion.body.message)).toContain("updated_at");
    const badEmail = await app.webhookUpdate(secretKey, "user_sync_a", updated("not-an-email", "A", at(40)));
    expect(badEmail.status).toBe(422);
    expect(String(badEmail.body.message)).toContain("email");

    const session = await server.clerk.sessionToken("user_sync_a");
    const asUser = await rest(server.url, "PATCH", "/users/by-clerk-id/user_sync_a", {
      token: session,
      body: updated("a9@example.com", "Eve", at(50)),
    });
    expect(asUser.status).toBe(403);
    expect(asUser.body.message).toBeTruthy();
  });
});

describe("DELETE /users/by-clerk-id/{id} (user.deleted)", () => {
  it("deletes; a late update never brings the user back; deleting again is fine", async () => {
    await app.createFromClerk(secretKey, { clerk_user_id: "user_sync_del", email: "del@example.com" });
    const removed = await app.webhookDelete(secretKey, "user_sync_del");
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ success: true, outcome: "deleted", data: null });
    const gone = await stored("user_sync_del");
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBeTruthy();

    // An update that arrives later, even one newer than anything stored, changes nothing.
    const late = await app.webhookUpdate(
      secretKey,
      "user_sync_del",
      updated("del@example.com", "Zed", at(59)),
    );
    expect(late.status).toBe(200);
    expect(late.body.outcome).toBe("user_deleted");
    expect((await stored("user_sync_del")).status).toBe(404);
    // Nor does a webhook delivery, nor the user's session.
    const delivery = signDelivery(
      webhookSecret,
      clerkUserEvent("user.updated", {
        id: "user_sync_del",
        email: "del@example.com",
        updatedAt: Date.now(),
      }),
    );
    expect((await postDelivery(server.url, delivery)).body.outcome).toBe("user_deleted");
    const session = await server.clerk.sessionToken("user_sync_del", {
      claims: { email: "del@example.com" },
    });
    expect((await app.usersMe(session)).status).toBe(404);

    expect((await app.webhookDelete(secretKey, "user_sync_del")).status).toBe(200);
  });

  it("a deletion before the user ever existed still wins over the later user.updated", async () => {
    expect((await app.webhookDelete(secretKey, "user_sync_never")).status).toBe(200);
    const late = await app.webhookUpdate(
      secretKey,
      "user_sync_never",
      updated("never@example.com", "N", at(1)),
    );
    expect(late.body.outcome).toBe("user_deleted");
    expect((await stored("user_sync_never")).status).toBe(404);
  });

  it("an update racing the deletion never resurrects the user", async () => {
    await app.createFromClerk(secretKey, { clerk_user_id: "user_sync_race", email: "race@example.com" });
    await Promise.all([
      app.webhookUpdate(secretKey, "user_sync_race", updated("race@example.com", "R", at(59))),
      app.webhookDelete(secretKey, "user_sync_race"),
      app.webhookUpdate(secretKey, "user_sync_race", updated("race@example.com", "S", at(58))),
    ]);
    expect((await stored("user_sync_race")).status).toBe(404);
  });

  it("also arrives through the webhook: a deletion by Clerk's own delivery stops the app's PATCH", async () => {
    await app.createFromClerk(secretKey, { clerk_user_id: "user_sync_wh_del", email: "whdel@example.com" });
    await postDelivery(server.url, signDelivery(webhookSecret, clerkUserDeletedEvent("user_sync_wh_del")));
    const late = await app.webhookUpdate(
      secretKey,
      "user_sync_wh_del",
      updated("whdel@example.com", "W", at(59)),
    );
    expect(late.body.outcome).toBe("user_deleted");
  });
});

describe("tokens from the app's JWT template (getToken({ template: 'pete-next' }))", () => {
  it("are accepted like session tokens: sub names the user, no sid needed", async () => {
    const token = await server.clerk.templateToken("user_tpl_a", {
      claims: { email: "tpl@example.com", first_name: "Tess", last_name: "Ng" },
    });
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header.alg).toBe("RS256");
    expect(Object.keys(payload).sort()).toEqual(
      ["azp", "email", "exp", "first_name", "iat", "iss", "jti", "last_name", "nbf", "sub"].sort(),
    );
    const me = await app.usersMe(token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: "tpl@example.com", full_name: "Tess Ng" });
    expect((await app.calendarStatus(token)).status).toBe(200);
  });

  it("need no profile claims once the user exists", async () => {
    const bare = await server.clerk.templateToken("user_tpl_a");
    expect((await app.usersMe(bare)).body).toMatchObject({ email: "tpl@example.com" });
  });

  it("with CLERK_AUTHORIZED_PARTIES set, need an azp in the list", async () => {
    const strict = await startTestServer({ CLERK_AUTHORIZED_PARTIES: "https://app.example.test" });
    try {
      const call = async (azp: string | null) =>
        (
          await legacyFrontend(strict.url).usersMe(
            await strict.clerk.templateToken("user_tpl_azp", { azp, claims: { email: "azp@example.com" } }),
          )
        ).status;
      expect(await call("https://app.example.test")).toBe(200);
      expect(await call("https://elsewhere.example")).toBe(401);
      expect(await call(null)).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it("are refused when signed by another key, or expired", async () => {
    const foreign = await server.clerk.sessionToken("user_tpl_a", { signWith: await foreignSigningKey() });
    expect((await app.usersMe(foreign)).status).toBe(401);
    const expired = await server.clerk.templateToken("user_tpl_a", { expiresIn: -60 });
    expect((await app.usersMe(expired)).status).toBe(401);
  });
});
