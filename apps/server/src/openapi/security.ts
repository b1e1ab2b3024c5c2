import type { ProcedureMeta } from "@viewings/api";
import type { RestAuth } from "../routes/rest/index.js";

export const securitySchemes = {
  clerkSession: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Clerk session token of a signed-in user (the frontend's `getToken()`).",
  },
  serviceKey: {
    type: "http",
    scheme: "bearer",
    description:
      "A server-to-server key: one of SERVICE_API_KEYS (default: CLERK_SECRET_KEY, as the old frontend sent).",
  },
} as const;

type Requirement = Array<Partial<Record<keyof typeof securitySchemes, string[]>>>;

const session: Requirement = [{ clerkSession: [] }];
const service: Requirement = [{ serviceKey: [] }];
const either: Requirement = [{ clerkSession: [] }, { serviceKey: [] }];

/** Alternatives: any one listed requirement is enough. Public operations need none. */
export function securityFor(auth: ProcedureMeta["auth"] | RestAuth): Requirement {
  switch (auth) {
    case "public":
      return [];
    case "user":
      return session;
    case "service":
      return service;
    case "userOrService":
    case "userOrActingService":
      return either;
  }
}

export const whoMayCall: Record<ProcedureMeta["auth"] | RestAuth, string> = {
  public: "Anyone.",
  user: "A signed-in user (Clerk session).",
  service: "A service key.",
  userOrService: "A signed-in user or a service key.",
  userOrActingService: "A signed-in user, or a service key acting for the user named in `user_id`.",
};
