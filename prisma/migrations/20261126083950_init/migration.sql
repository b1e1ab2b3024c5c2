-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "clerk_user_id" VARCHAR(255) NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "first_name" VARCHAR(100),
    "last_name" VARCHAR(100),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "microsoft_calendar_connected" BOOLEAN NOT NULL DEFAULT false,
    "google_calendar_connected" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    -- Hand-written (Prisma cannot express CHECKs): emails are stored lower-cased, so the unique
    -- index on email ignores letter case.
    CONSTRAINT "users_email_lower_case_check" CHECK ("email" = lower("email"))
);

-- CreateTable
CREATE TABLE "user_calendar_connections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "access_token" TEXT NOT NULL,
    "refresh_token" TEXT,
    "expires_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_calendar_connections_pkey" PRIMARY KEY ("id"),
    -- Hand-written (Prisma cannot express CHECKs): the supported calendar providers.
    CONSTRAINT "user_calendar_connections_provider_check" CHECK ("provider" IN ('microsoft', 'google'))
);

-- CreateIndex
CREATE UNIQUE INDEX "users_clerk_user_id_key" ON "users"("clerk_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "user_calendar_connections_user_id_provider_key" ON "user_calendar_connections"("user_id", "provider");

-- AddForeignKey
ALTER TABLE "user_calendar_connections" ADD CONSTRAINT "user_calendar_connections_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
