/*
  Warnings:

  - A unique constraint covering the columns `[webhook_secret_hash]` on the table `agents` will be added. If there are existing duplicate values, this will fail.
  - A unique constraint covering the columns `[user_id,vapi_assistant_id]` on the table `agents` will be added. If there are existing duplicate values, this will fail.
  - A unique constraint covering the columns `[agent_id,tool_call_id]` on the table `appointments` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "agents_vapi_assistant_id_key";

-- DropIndex
DROP INDEX "appointments_tool_call_id_key";

-- CreateTable
CREATE TABLE "voice_calls" (
    "agent_id" UUID NOT NULL,
    "vapi_call_id" VARCHAR(255) NOT NULL,
    "caller_number" VARCHAR(50) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "voice_calls_pkey" PRIMARY KEY ("agent_id","vapi_call_id")
);

-- CreateIndex
CREATE INDEX "voice_calls_agent_id_caller_number_idx" ON "voice_calls"("agent_id", "caller_number");

-- CreateIndex
CREATE UNIQUE INDEX "agents_webhook_secret_hash_key" ON "agents"("webhook_secret_hash");

-- CreateIndex
CREATE INDEX "agents_vapi_assistant_id_idx" ON "agents"("vapi_assistant_id");

-- CreateIndex
CREATE UNIQUE INDEX "agents_user_id_vapi_assistant_id_key" ON "agents"("user_id", "vapi_assistant_id");

-- CreateIndex
CREATE UNIQUE INDEX "appointments_agent_id_tool_call_id_key" ON "appointments"("agent_id", "tool_call_id");

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
