-- AlterTable
ALTER TABLE "users" ADD COLUMN     "time_zone" VARCHAR(64);

-- CreateTable
CREATE TABLE "calendar_bookings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "idempotency_key" VARCHAR(255) NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "provider_event_id" VARCHAR(1024),
    "event" JSONB,
    "start_at" TIMESTAMPTZ(6) NOT NULL,
    "end_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "vapi_assistant_id" VARCHAR(255) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "time_zone" VARCHAR(64),
    "viewing_minutes" INTEGER NOT NULL DEFAULT 30,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "webhook_secret_hash" VARCHAR(64),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agent_id" UUID NOT NULL,
    "vapi_call_id" VARCHAR(255),
    "tool_call_id" VARCHAR(255) NOT NULL,
    "property_address" VARCHAR(500) NOT NULL,
    "start_at" TIMESTAMPTZ(6) NOT NULL,
    "end_at" TIMESTAMPTZ(6) NOT NULL,
    "attendee_name" VARCHAR(200) NOT NULL,
    "attendee_email" VARCHAR(255),
    "attendee_phone" VARCHAR(50),
    "status" VARCHAR(20) NOT NULL,
    "provider" VARCHAR(50),
    "provider_event_id" VARCHAR(1024),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "calendar_bookings_user_id_idempotency_key_key" ON "calendar_bookings"("user_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "agents_vapi_assistant_id_key" ON "agents"("vapi_assistant_id");

-- CreateIndex
CREATE INDEX "agents_user_id_idx" ON "agents"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "appointments_tool_call_id_key" ON "appointments"("tool_call_id");

-- CreateIndex
CREATE INDEX "appointments_agent_id_start_at_idx" ON "appointments"("agent_id", "start_at");

-- AddForeignKey
ALTER TABLE "calendar_bookings" ADD CONSTRAINT "calendar_bookings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma cannot express CHECKs).
ALTER TABLE "calendar_bookings" ADD CONSTRAINT "calendar_bookings_provider_check" CHECK ("provider" IN ('microsoft', 'google'));
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_status_check" CHECK ("status" IN ('pending', 'booked', 'cancelled'));
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_time_check" CHECK ("end_at" > "start_at");
ALTER TABLE "calendar_bookings" ADD CONSTRAINT "calendar_bookings_time_check" CHECK ("end_at" > "start_at");
ALTER TABLE "agents" ADD CONSTRAINT "agents_viewing_minutes_check" CHECK ("viewing_minutes" BETWEEN 5 AND 240);
