-- AlterTable
ALTER TABLE "oauth_states" ADD COLUMN     "needs_confirmation" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "pending_calendar_connections" (
    "code_hash" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "access_token" TEXT NOT NULL,
    "refresh_token" TEXT,
    "token_expires_at" TIMESTAMPTZ(6),
    "account_email" VARCHAR(255),
    "scope" TEXT,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_calendar_connections_pkey" PRIMARY KEY ("code_hash")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "pending_calendar_connections_expires_at_idx" ON "pending_calendar_connections"("expires_at");

-- AddForeignKey
ALTER TABLE "pending_calendar_connections" ADD CONSTRAINT "pending_calendar_connections_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
