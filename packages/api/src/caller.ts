/** Claims the server copies from a verified Clerk session token (see README, "Session token claims"). */
export interface SessionClaims {
  email?: string;
  firstName?: string;
  lastName?: string;
}

/** Who is calling, as established by the server from the request's credentials. */
export type Caller =
  | { type: "anonymous" }
  | { type: "user"; clerkUserId: string; claims: SessionClaims }
  | { type: "service"; keyIndex: number };
