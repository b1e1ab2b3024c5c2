-- The one ledger of bookings: calendar_bookings (API idempotency keys only) becomes `bookings`, the
-- claim every door (API, REST, voice) makes before a provider is called. Existing rows are kept.

-- RenameTable (hand-written, so existing rows survive; Prisma would drop and recreate)
ALTER TABLE "calendar_bookings" RENAME TO "bookings";
ALTER TABLE "bookings" RENAME CONSTRAINT "calendar_bookings_pkey" TO "bookings_pkey";
ALTER TABLE "bookings" RENAME CONSTRAINT "calendar_bookings_user_id_fkey" TO "bookings_user_id_fkey";
ALTER INDEX "calendar_bookings_user_id_idempotency_key_key" RENAME TO "bookings_user_id_idempotency_key_key";
ALTER TABLE "bookings" DROP CONSTRAINT "calendar_bookings_provider_check";
ALTER TABLE "bookings" DROP CONSTRAINT "calendar_bookings_time_check";

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
ADD COLUMN "source" VARCHAR(10) NOT NULL DEFAULT 'api',
ADD COLUMN "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "idempotency_key" DROP NOT NULL;
ALTER TABLE "bookings" ALTER COLUMN "source" DROP DEFAULT;
-- Rows from before the ledger: a provider event means the booking happened; none means it did not.
UPDATE "bookings" SET "status" = CASE WHEN "provider_event_id" IS NULL THEN 'failed' ELSE 'confirmed' END;

-- AlterTable
ALTER TABLE "appointments" ADD COLUMN "booking_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "appointments_booking_id_key" ON "appointments"("booking_id");

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (Prisma cannot express CHECKs).
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_provider_check" CHECK ("provider" IN ('microsoft', 'google'));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_time_check" CHECK ("end_at" > "start_at");
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_status_check" CHECK ("status" IN ('pending', 'confirmed', 'cancelled', 'failed'));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_source_check" CHECK ("source" IN ('api', 'rest', 'voice'));

-- Hand-written (Prisma cannot express exclusion constraints; its diff ignores them, so no drift):
-- no two live bookings of one owner overlap, decided by the database across every server process.
-- Ranges are half-open, so back-to-back bookings (10:00-10:30, 10:30-11:00) do not conflict.
-- Rows carried over from calendar_bookings that already overlap (double bookings made before this
-- constraint) make this statement fail: resolve them at the provider and mark one 'cancelled' first.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist (
    "user_id" WITH =,
    tstzrange("start_at", "end_at") WITH &&
) WHERE ("status" IN ('pending', 'confirmed'));
