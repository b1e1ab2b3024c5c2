// The migration that leaves status, provider and event id to the ledger keeps what appointments held.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { applyMigrations } from "../src/migrate/index.js";
import { copyPrismaDirs, createEmptyDatabase, query } from "./helpers.js";

const migration = "20261204183857_appointments_point_at_bookings";

it("links or records every booked and cancelled appointment in the ledger before dropping its columns", async () => {
  const dirs = copyPrismaDirs();
  const held = path.join(dirs.root, migration);
  fs.renameSync(path.join(dirs.migrationsDir, migration), held);
  const db = await createEmptyDatabase();
  try {
    await applyMigrations(db.url, dirs);
    const [user] = (
      await query<{ id: string }>(
        db.url,
        "INSERT INTO users (clerk_user_id, email) VALUES ('user_mig', 'mig@example.com') RETURNING id",
      )
    ).rows;
    const [agent] = (
      await query<{ id: string }>(
        db.url,
        "INSERT INTO agents (user_id, vapi_assistant_id, name) VALUES ($1, 'asst', 'A') RETURNING id",
        [user?.id],
      )
    ).rows;
    const [ledger] = (
      await query<{ id: string }>(
        db.url,
        `INSERT INTO bookings (user_id, status, source, provider, provider_event_id, start_at, end_at)
         VALUES ($1, 'confirmed', 'voice', 'google', 'evt-in-ledger', '2027-01-04T15:00Z', '2027-01-04T15:30Z')
         RETURNING id`,
        [user?.id],
      )
    ).rows;
    const appointment = (toolCallId: string, status: string, eventId: string | null, hour: number) =>
      query<{ id: string }>(
        db.url,
        `INSERT INTO appointments (agent_id, tool_call_id, property_address, start_at, end_at, attendee_name,
           status, provider, provider_event_id)
         VALUES ($1, $2, '1 Road', $3, $4, 'Tina', $5, $6, $7) RETURNING id`,
        [
          agent?.id,
          toolCallId,
          `2027-01-04T${hour}:00Z`,
          `2027-01-04T${hour}:30Z`,
          status,
          eventId ? "google" : null,
          eventId,
        ],
      ).then((result) => result.rows[0]?.id);
    const inLedger = await appointment("call-ledger", "booked", "evt-in-ledger", 15);
    const booked = await appointment("call-booked", "booked", "evt-old", 16);
    const cancelled = await appointment("call-cancelled", "cancelled", "evt-gone", 17);
    const pending = await appointment("call-pending", "pending", null, 18);

    fs.renameSync(held, path.join(dirs.migrationsDir, migration));
    expect(await applyMigrations(db.url, dirs)).toEqual([migration]);

    const { rows } = await query<{
      id: string;
      status: string | null;
      event: string | null;
      ledger: string | null;
    }>(
      db.url,
      `SELECT a.id, b.status, b.provider_event_id AS event, b.id AS ledger
       FROM appointments a LEFT JOIN bookings b ON b.id = a.booking_id ORDER BY a.start_at`,
    );
    expect(rows).toEqual([
      { id: inLedger, status: "confirmed", event: "evt-in-ledger", ledger: ledger?.id },
      { id: booked, status: "confirmed", event: "evt-old", ledger: expect.any(String) },
      { id: cancelled, status: "cancelled", event: "evt-gone", ledger: expect.any(String) },
      { id: pending, status: null, event: null, ledger: null },
    ]);
    const columns = await query<{ column_name: string }>(
      db.url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'appointments'",
    );
    expect(columns.rows.map((row) => row.column_name)).not.toContain("provider_event_id");
  } finally {
    await db.drop();
    fs.rmSync(dirs.root, { recursive: true, force: true });
  }
});
