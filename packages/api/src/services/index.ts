import type { Database } from "@viewings/db";
import type { ClerkProfileSource } from "./users/clerk-profile-source.js";
import { UsersService } from "./users/users-service.js";

export interface ServiceDependencies {
  db: Database;
  clerkProfiles: ClerkProfileSource;
}

/** Built once per process; every request's context shares them. */
export function createServices(deps: ServiceDependencies) {
  return {
    users: new UsersService(deps.db, deps.clerkProfiles),
  };
}

export type Services = ReturnType<typeof createServices>;
