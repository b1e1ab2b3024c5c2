// users.updateSettings({timeZone}): an IANA zone stored in users.time_zone and used by events; null
// falls back to DEFAULT_TIME_ZONE.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";
import { trpcError } from "./support/expect-trpc-error.js";

let env: EventsEnv;
beforeAll(async () => {
  env = await startEventsEnv();
});
afterAll(() => env?.close());

const tuesday = { from: "2027-03-16T00:00:00Z", to: "2027-03-17T00:00:00Z", durationMinutes: 60 };

describe("users.updateSettings", () => {
  it("stores a valid IANA zone, which availability and listings then use", async () => {
    const user = await env.user("user_settings_zone", ["google"]);
    expect((await user.client.users.me.query()).timeZone).toBeNull();
    expect((await user.client.events.availability.query(tuesday)).timeZone).toBe("America/Chicago");

    const updated = await user.client.users.updateSettings.mutate({ timeZone: "Asia/Kolkata" });
    expect(updated.timeZone).toBe("Asia/Kolkata");
    const [row] = await env.server.db.$queryRaw<Array<{ time_zone: string | null }>>`
      SELECT time_zone FROM users WHERE id = ${user.id}::uuid`;
    expect(row?.time_zone).toBe("Asia/Kolkata");

    const answer = await user.client.events.availability.query(tuesday);
    expect(answer.timeZone).toBe("Asia/Kolkata");
    expect(answer.slots[0]?.start).toBe("2027-03-16T09:00:00+05:30");

    env.google.state.calendars.add(user.googleEmail, {
      title: "Call",
      start: "2027-03-16T04:00:00Z",
      end: "2027-03-16T05:00:00Z",
    });
    const { events } = await user.client.events.list.query({ from: tuesday.from, to: tuesday.to });
    expect(events[0]?.start).toBe("2027-03-16T09:30:00+05:30");
  });

  it("null goes back to the server default", async () => {
    const user = await env.user("user_settings_reset", ["google"]);
    await user.client.users.updateSettings.mutate({ timeZone: "Europe/London" });
    const reset = await user.client.users.updateSettings.mutate({ timeZone: null });
    expect(reset.timeZone).toBeNull();
    expect((await user.client.events.availability.query(tuesday)).timeZone).toBe("America/Chicago");
  });

  it.each([
    ["an abbreviation", "CST"],
    ["an unknown zone", "Mars/Olympus_Mons"],
    ["an offset", "+05:30"],
    ["an empty string", ""],
  ])("refuses %s with BAD_REQUEST naming timeZone", async (_name, timeZone) => {
    const user = await env.user(`user_settings_bad_${timeZone.replace(/\W/g, "")}`, []);
    const error = await trpcError(user.client.users.updateSettings.mutate({ timeZone }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("timeZone:");
    expect((await user.client.users.me.query()).timeZone).toBeNull();
  });

  it("refuses an unknown zone in event queries too", async () => {
    const user = await env.user("user_settings_query_zone", ["google"]);
    const error = await trpcError(user.client.events.availability.query({ ...tuesday, timeZone: "CST" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("timeZone:");
  });

  it("needs a signed-in user", async () => {
    const error = await trpcError(env.server.client().users.updateSettings.mutate({ timeZone: "UTC" }));
    expect(error.code).toBe("UNAUTHORIZED");
  });
});
