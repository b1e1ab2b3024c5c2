import type { ClerkProfile, ClerkProfileSource } from "@viewings/api";
import { clerkPersonName, emailSchema, isStorableInstant } from "@viewings/validators";
import type { ClerkClient } from "./authenticate.js";

/** Reads a user's profile from Clerk's Backend API (base URL from CLERK_API_URL) for lazy provisioning. */
export function createClerkProfileSource(client: ClerkClient): ClerkProfileSource {
  return {
    async fetchProfile(clerkUserId): Promise<ClerkProfile | null> {
      const user = await client.users.getUser(clerkUserId);
      const primary = user.emailAddresses.find((address) => address.id === user.primaryEmailAddressId);
      // The webhook's rules: an address no column can hold counts as none, names are cut to fit.
      const email = emailSchema.safeParse(primary?.emailAddress);
      if (!email.success) return null;
      const createdAt = new Date(user.createdAt);
      return {
        clerkUserId,
        email: email.data,
        firstName: clerkPersonName(user.firstName),
        lastName: clerkPersonName(user.lastName),
        ...(isStorableInstant(createdAt.getTime()) ? { createdAt } : {}),
      };
    },
  };
}
