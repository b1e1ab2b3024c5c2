-- AlterTable
ALTER TABLE "user_calendar_connections" ADD COLUMN     "account_email" VARCHAR(255),
ADD COLUMN     "needs_reconnect" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "scope" TEXT;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "clerk_updated_at" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "oauth_states" (
    "state_hash" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "return_to" TEXT,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("state_hash")
);

-- CreateTable
CREATE TABLE "deleted_clerk_users" (
    "clerk_user_id" VARCHAR(255) NOT NULL,
    "deleted_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "deleted_clerk_users_pkey" PRIMARY KEY ("clerk_user_id")
);

-- CreateTable
CREATE TABLE "clerk_webhook_events" (
    "svix_id" VARCHAR(255) NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "clerk_user_id" VARCHAR(255),
    "event_timestamp" TIMESTAMPTZ(6),
    "outcome" VARCHAR(30) NOT NULL,
    "detail" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clerk_webhook_events_pkey" PRIMARY KEY ("svix_id")
);

-- CreateIndex
CREATE INDEX "oauth_states_expires_at_idx" ON "oauth_states"("expires_at");

-- CreateIndex
CREATE INDEX "clerk_webhook_events_received_at_idx" ON "clerk_webhook_events"("received_at");

-- AddForeignKey
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma cannot express CHECKs): the supported calendar providers.
ALTER TABLE "oauth_states" ADD CONSTRAINT "oauth_states_provider_check" CHECK ("provider" IN ('microsoft', 'google'));
