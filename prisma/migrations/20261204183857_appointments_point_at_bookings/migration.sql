-- Appointments keep the voice metadata and point at their booking; the ledger (bookings) alone holds
-- the status, the provider and the provider's event id. Nothing is lost:
-- Hand-written: 1. an appointment booked or cancelled without a booking_id (made before the ledger)
-- is linked to the ledger row of the same owner, provider and event...
UPDATE "appointments" AS a
SET "booking_id" = b."id"
FROM "agents" AS g, "bookings" AS b
WHERE a."booking_id" IS NULL
  AND a."status" IN ('booked', 'cancelled')
  AND a."provider" IS NOT NULL
  AND a."provider_event_id" IS NOT NULL
  AND g."id" = a."agent_id"
  AND b."user_id" = g."user_id"
  AND b."provider" = a."provider"
  AND b."provider_event_id" = a."provider_event_id"
  AND NOT EXISTS (SELECT 1 FROM "appointments" AS other WHERE other."booking_id" = b."id");

-- Hand-written: 2. ...or, when the ledger has none, to a new ledger row carrying its status, provider
-- and event. A booked one that would overlap a live booking (bookings_no_overlap) is recorded as
-- cancelled rather than lost (the event itself stays in the calendar).
INSERT INTO "bookings" ("id", "user_id", "status", "source", "provider", "provider_event_id", "start_at", "end_at", "agent_id")
SELECT a."id", g."user_id",
       CASE WHEN a."status" = 'booked' AND NOT EXISTS (
              SELECT 1 FROM "bookings" AS live
              WHERE live."user_id" = g."user_id" AND live."status" IN ('pending', 'confirmed')
                AND tstzrange(live."start_at", live."end_at") && tstzrange(a."start_at", a."end_at"))
            THEN 'confirmed' ELSE 'cancelled' END,
       'voice', a."provider", a."provider_event_id", a."start_at", a."end_at", a."agent_id"
FROM "appointments" AS a
JOIN "agents" AS g ON g."id" = a."agent_id"
WHERE a."booking_id" IS NULL
  AND a."status" IN ('booked', 'cancelled')
  AND a."provider" IS NOT NULL
  AND a."provider_event_id" IS NOT NULL;

UPDATE "appointments" AS a
SET "booking_id" = a."id"
WHERE a."booking_id" IS NULL
  AND a."status" IN ('booked', 'cancelled')
  AND a."provider" IS NOT NULL
  AND a."provider_event_id" IS NOT NULL;

-- Hand-written: 3. a linked appointment marked cancelled cancels its booking (the event was deleted).
UPDATE "bookings" AS b
SET "status" = 'cancelled'
FROM "appointments" AS a
WHERE a."booking_id" = b."id" AND a."status" = 'cancelled' AND b."status" = 'confirmed';

-- AlterTable (generated; the CHECK on status goes with its column)
ALTER TABLE "appointments" DROP COLUMN "provider",
DROP COLUMN "provider_event_id",
DROP COLUMN "status";
