/**
 * Turns a verified webhook body into the event this backend acts on. Parsing happens before any
 * database work, so a body that is not a Clerk event is refused with nothing written.
 */
import {
  type ClerkEventEnvelope,
  clerkDeletedUserDataSchema,
  clerkEventEnvelopeSchema,
  clerkUserDataSchema,
  emailSchema,
} from "@viewings/validators";
import type { ZodError } from "zod";
import { DomainError } from "../../errors.js";

/** A user's profile as a user.created / user.updated event states it. */
export interface IncomingProfile {
  clerkUserId: string;
  /** The primary address, lower-cased; null when the user has none (e.g. signed up by phone). */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: Date;
  /** Clerk's updated_at: the version of the profile, used to order events. */
  clerkUpdatedAt: Date;
}

export type ClerkEvent =
  | { kind: "profile"; type: string; timestamp: Date | null; profile: IncomingProfile }
  | { kind: "deletion"; type: string; timestamp: Date | null; clerkUserId: string }
  | { kind: "other"; type: string; timestamp: Date | null };

export function clerkUserIdOf(event: ClerkEvent): string | null {
  if (event.kind === "profile") return event.profile.clerkUserId;
  if (event.kind === "deletion") return event.clerkUserId;
  return null;
}

/** "data.id: Invalid input" — short enough for a 400 body and the log. */
function describe(error: ZodError, prefix: string): string {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? [])].filter((part) => part !== "").join(".");
  return `${path || "body"}: ${issue?.message ?? "invalid"}`;
}

function invalid(reason: string): DomainError {
  return new DomainError("bad_request", reason);
}

function primaryEmail(data: {
  email_addresses: { id: string; email_address: string }[];
  primary_email_address_id?: string | null | undefined;
}): string | null {
  const primary = data.email_addresses.find((address) => address.id === data.primary_email_address_id);
  const parsed = emailSchema.safeParse(primary?.email_address);
  return parsed.success ? parsed.data : null;
}

function parseProfile(envelope: ClerkEventEnvelope): IncomingProfile {
  const parsed = clerkUserDataSchema.safeParse(envelope.data);
  if (!parsed.success) throw invalid(`invalid ${envelope.type}: ${describe(parsed.error, "data")}`);
  const data = parsed.data;
  return {
    clerkUserId: data.id,
    email: primaryEmail(data),
    firstName: data.first_name,
    lastName: data.last_name,
    createdAt: new Date(data.created_at),
    clerkUpdatedAt: new Date(data.updated_at),
  };
}

/** Throws a bad_request DomainError when `body` is not a Clerk event, or a handled one with bad data. */
export function parseClerkEvent(body: unknown): ClerkEvent {
  const envelope = clerkEventEnvelopeSchema.safeParse(body);
  if (!envelope.success) throw invalid(`not a Clerk event: ${describe(envelope.error, "")}`);
  const { type, timestamp: millis } = envelope.data;
  const timestamp = millis === undefined ? null : new Date(millis);
  switch (type) {
    case "user.created":
    case "user.updated":
      return { kind: "profile", type, timestamp, profile: parseProfile(envelope.data) };
    case "user.deleted": {
      const data = clerkDeletedUserDataSchema.safeParse(envelope.data.data);
      if (!data.success) throw invalid(`invalid user.deleted: ${describe(data.error, "data")}`);
      return { kind: "deletion", type, timestamp, clerkUserId: data.data.id };
    }
    default:
      return { kind: "other", type, timestamp };
  }
}
