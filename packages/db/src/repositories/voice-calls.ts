import type { Database } from "../client.js";

/** Remembers which number placed a VAPI call that asked to book; a repeat of the same call is a no-op. */
export async function recordVoiceCall(
  db: Database,
  call: { agentId: string; vapiCallId: string; callerNumber: string },
): Promise<void> {
  await db.voiceCall.createMany({ data: [call], skipDuplicates: true });
}

/** The VAPI calls of this agent placed from this number, most recent first. */
export async function callIdsFromNumber(
  db: Database,
  agentId: string,
  callerNumber: string,
): Promise<string[]> {
  const calls = await db.voiceCall.findMany({
    where: { agentId, callerNumber },
    select: { vapiCallId: true },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  return calls.map((call) => call.vapiCallId);
}
