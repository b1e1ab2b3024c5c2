-- Booking rules (users, agents) and calendar choice. Existing agents keep their viewing_minutes as their own length;
-- null now means "the owner's default". Bookings remember the agent whose rules they were made under and the
-- calendar they were written into (null: the primary calendar, as before).

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "booking_rules" JSONB,
ALTER COLUMN "viewing_minutes" DROP NOT NULL,
ALTER COLUMN "viewing_minutes" DROP DEFAULT;

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "agent_id" UUID,
ADD COLUMN     "calendar_id" VARCHAR(1024);

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "booking_rules" JSONB;

-- CreateIndex
CREATE INDEX "bookings_agent_id_start_at_idx" ON "bookings"("agent_id", "start_at");

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
