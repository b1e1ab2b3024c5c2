/** A Clerk user's profile as this backend needs it. */
export interface ClerkProfile {
  clerkUserId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  createdAt?: Date;
}

/**
 * Where a profile comes from when a signed-in user has no row yet and their session token carries no
 * email: in production Clerk's Backend API (apps/server wires it), in tests a loopback server.
 */
export interface ClerkProfileSource {
  fetchProfile(clerkUserId: string): Promise<ClerkProfile | null>;
}
