import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcError } from "./support/expect-trpc-error.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("agents", () => {
  it("lets an owner create, list, update, rotate and delete their assistants", async () => {
    const owner = await server.clientFor("user_agent_owner");
    const { agent, webhookSecret } = await owner.agents.create.mutate({
      vapiAssistantId: "asst_owner_1",
      name: "Main line",
    });
    expect(agent).toMatchObject({
      vapiAssistantId: "asst_owner_1",
      viewingMinutes: 30,
      active: true,
      timeZone: null,
      hasWebhookSecret: true,
    });
    expect(webhookSecret).toMatch(/^vapi_/);
    const stored = await server.db.agent.findUniqueOrThrow({ where: { id: agent.id } });
    expect(stored.webhookSecretHash).not.toContain(webhookSecret);

    expect(await owner.agents.list.query()).toEqual([agent]);
    const updated = await owner.agents.update.mutate({
      id: agent.id,
      timeZone: "Asia/Kolkata",
      viewingMinutes: 45,
      active: false,
    });
    expect(updated).toMatchObject({ timeZone: "Asia/Kolkata", viewingMinutes: 45, active: false });

    const rotated = await owner.agents.rotateSecret.mutate({ id: agent.id });
    expect(rotated.webhookSecret).not.toBe(webhookSecret);

    expect(await owner.agents.delete.mutate({ id: agent.id })).toEqual({ id: agent.id });
    expect(await owner.agents.list.query()).toEqual([]);
  });

  it("never shows or changes another user's assistant", async () => {
    const owner = await server.clientFor("user_agent_a");
    const intruder = await server.clientFor("user_agent_b");
    const { agent } = await owner.agents.create.mutate({ vapiAssistantId: "asst_private", name: "Private" });

    expect(await intruder.agents.list.query()).toEqual([]);
    expect((await trpcError(intruder.agents.update.mutate({ id: agent.id, name: "Mine now" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await trpcError(intruder.agents.rotateSecret.mutate({ id: agent.id }))).code).toBe("NOT_FOUND");
    expect((await trpcError(intruder.agents.delete.mutate({ id: agent.id }))).code).toBe("NOT_FOUND");
    expect((await server.db.agent.findUniqueOrThrow({ where: { id: agent.id } })).name).toBe("Private");
  });

  it("registers an assistant id another user holds as if it were new, and refuses only the user's own repeat", async () => {
    const first = await server.clientFor("user_agent_c");
    const second = await server.clientFor("user_agent_d");
    const held = await first.agents.create.mutate({ vapiAssistantId: "asst_taken", name: "One" });
    const fresh = await second.agents.create.mutate({ vapiAssistantId: "asst_never_seen", name: "Fresh" });
    const taken = await second.agents.create.mutate({ vapiAssistantId: "asst_taken", name: "Two" });

    // The same answer as for an id nobody holds: nothing tells the second user about the first.
    const shape = (answer: typeof taken) => ({
      keys: Object.keys(answer.agent).sort(),
      active: answer.agent.active,
      hasWebhookSecret: answer.agent.hasWebhookSecret,
      tools: answer.toolDefinitions.length,
    });
    expect(shape(taken)).toEqual(shape(fresh));
    expect(taken.agent.id).not.toBe(held.agent.id);
    expect(JSON.stringify(taken)).not.toContain(held.agent.id);
    expect((await second.agents.list.query()).map((agent) => agent.name)).toEqual(["Fresh", "Two"]);
    expect((await first.agents.list.query()).map((agent) => agent.name)).toEqual(["One"]);

    const repeat = await trpcError(
      second.agents.create.mutate({ vapiAssistantId: "asst_taken", name: "Again" }),
    );
    expect(repeat.code).toBe("CONFLICT");
    expect(repeat.message).toBe("You have already registered this VAPI assistant");
  });

  it("names the wrong field for an invalid time zone or viewing length", async () => {
    const owner = await server.clientFor("user_agent_e");
    const badZone = await trpcError(
      owner.agents.create.mutate({ vapiAssistantId: "asst_bad", name: "X", timeZone: "CST" }),
    );
    expect(badZone.code).toBe("BAD_REQUEST");
    expect(badZone.message).toContain("timeZone");
    const badLength = await trpcError(
      owner.agents.create.mutate({ vapiAssistantId: "asst_bad", name: "X", viewingMinutes: 1000 }),
    );
    expect(badLength.data?.zodError?.fieldErrors).toHaveProperty("viewingMinutes");
    expect(await server.db.agent.count({ where: { vapiAssistantId: "asst_bad" } })).toBe(0);
  });

  it("requires a signed-in user", async () => {
    expect((await trpcError(server.client().agents.list.query())).code).toBe("UNAUTHORIZED");
  });
});
