import type { ClerkProfile, ClerkProfileSource } from "@viewings/api";
import type { ClerkClient } from "./authenticate.js";

/** Reads a user's profile from Clerk's Backend API (base URL from CLERK_API_URL) for lazy provisioning. */
export function createClerkProfileSource(client: ClerkClient): ClerkProfileSource {
  return {
    async fetchProfile(clerkUserId): Promise<ClerkProfile | null> {
      const user = await client.users.getUser(clerkUserId);
      const primary = user.emailAddresses.find((address) => address.id === user.primaryEmailAddressId);
      if (!primary) return null;
      return {
        clerkUserId: user.id,
        email: primary.emailAddress.toLowerCase(),
        firstName: user.firstName,
        lastName: user.lastName,
        createdAt: new Date(user.createdAt),
      };
    },
  };
}
