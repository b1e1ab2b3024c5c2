/**
 * Reads a user's profile from Clerk's Backend API (`GET /v1/users/{id}`, base URL from CLERK_API_URL)
 * for lazy provisioning. A plain fetch rather than @clerk/backend's users.getUser: that client takes
 * no deadline or AbortSignal, so a hanging API would hold the request open indefinitely. Here the
 * call is cancelled after `timeoutMs`, and every failure becomes a 503 the caller can retry.
 */
import { type ClerkProfile, type ClerkProfileSource, DomainError } from "@viewings/api";
import { clerkPersonName, emailSchema, isStorableInstant } from "@viewings/validators";
import { z } from "zod";

export interface ClerkProfileSourceOptions {
  apiUrl: string | undefined;
  secretKey: string;
  timeoutMs: number;
}

const defaultApiUrl = "https://api.clerk.com";

// Clerk's User object, the fields read here.
const clerkUserSchema = z.object({
  id: z.string(),
  primary_email_address_id: z.string().nullable(),
  email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() })),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  created_at: z.number(),
});

const unavailable = (reason: string, cause?: unknown) =>
  new DomainError("unavailable", `Could not read your profile from Clerk (${reason}); try again shortly`, {
    cause,
  });

async function fetchUser(options: ClerkProfileSourceOptions, clerkUserId: string): Promise<unknown> {
  const url = `${(options.apiUrl ?? defaultApiUrl).replace(/\/+$/, "")}/v1/users/${encodeURIComponent(clerkUserId)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${options.secretKey}`, accept: "application/json" },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw unavailable(
      timedOut ? `no answer within ${options.timeoutMs} ms` : "Clerk's API is unreachable",
      error,
    );
  }
  if (response.status === 404) throw unavailable("Clerk does not know this user (404)");
  if (response.status === 429) throw unavailable("rate limited by Clerk (429)");
  if (!response.ok) throw unavailable(`Clerk's API answered ${response.status}`);
  try {
    return await response.json();
  } catch (error) {
    throw unavailable("unreadable answer from Clerk", error);
  }
}

export function createClerkProfileSource(options: ClerkProfileSourceOptions): ClerkProfileSource {
  return {
    async fetchProfile(clerkUserId): Promise<ClerkProfile | null> {
      const parsed = clerkUserSchema.safeParse(await fetchUser(options, clerkUserId));
      if (!parsed.success) throw unavailable("unexpected answer from Clerk");
      const user = parsed.data;
      const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id);
      // The webhook's rules: an address no column can hold counts as none, names are cut to fit.
      const email = emailSchema.safeParse(primary?.email_address);
      if (!email.success) return null;
      const createdAt = new Date(user.created_at);
      return {
        clerkUserId,
        email: email.data,
        firstName: clerkPersonName(user.first_name),
        lastName: clerkPersonName(user.last_name),
        ...(isStorableInstant(createdAt.getTime()) ? { createdAt } : {}),
      };
    },
  };
}
