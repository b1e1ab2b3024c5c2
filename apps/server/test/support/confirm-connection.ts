import type { createApiClient } from "@viewings/client";

type Client = ReturnType<typeof createApiClient>;

/**
 * What the frontend does where the callback lands it (`?auth=confirm&confirmation=...`): confirms the
 * parked calendar with the signed-in user's own session. Throws when the landing is not a confirmation.
 */
export async function confirmLanding(client: Client, landing: URL) {
  const code = landing.searchParams.get("confirmation");
  if (landing.searchParams.get("auth") !== "confirm" || !code) throw new Error(`connect failed: ${landing}`);
  return client.calendar.confirmConnection.mutate({ code });
}
