/**
 * Clerk webhook payloads (delivered through Svix), as far as this backend reads them. Only the fields
 * used are declared; everything else Clerk sends is ignored, so new Clerk fields never break parsing.
 */
import { z } from "zod";
import { clerkPersonName, hasNoNul, isStorableInstant, noNulMessage } from "./common.js";
import { clerkUserIdSchema } from "./users.js";

/** Milliseconds since the epoch, as Clerk writes every timestamp; at most the end of year 9999. */
const epochMillisSchema = z
  .number()
  .int()
  .nonnegative()
  .refine(isStorableInstant, "must be between years 1 and 9999");

/** The envelope shared by every Clerk event; `data` is parsed per event type. */
export const clerkEventEnvelopeSchema = z.object({
  object: z.literal("event"),
  type: z.string().min(1).max(100).refine(hasNoNul, noNulMessage),
  data: z.record(z.string(), z.unknown()),
  /** When Clerk emitted the event (ms). Older payloads may lack it. */
  timestamp: epochMillisSchema.optional(),
  instance_id: z.string().optional(),
});
export type ClerkEventEnvelope = z.infer<typeof clerkEventEnvelopeSchema>;

/**
 * Names longer than the database columns (100) are cut rather than refused: a refused delivery would be
 * retried by Svix for days and never succeed, losing the rest of the profile.
 */
const clerkNameSchema = z.string().nullish().transform(clerkPersonName);

export const clerkEmailAddressSchema = z.object({
  id: z.string().min(1).max(255),
  email_address: z.string(),
});

/** `data` of user.created and user.updated: Clerk's User object. */
export const clerkUserDataSchema = z.object({
  id: clerkUserIdSchema,
  email_addresses: z.array(clerkEmailAddressSchema).default([]),
  primary_email_address_id: z.string().max(255).nullish(),
  first_name: clerkNameSchema,
  last_name: clerkNameSchema,
  created_at: epochMillisSchema,
  updated_at: epochMillisSchema,
});
export type ClerkUserData = z.infer<typeof clerkUserDataSchema>;

/** `data` of user.deleted: `{ id, object: "user", deleted: true }`. */
export const clerkDeletedUserDataSchema = z.object({
  id: clerkUserIdSchema,
  deleted: z.literal(true).optional(),
});
export type ClerkDeletedUserData = z.infer<typeof clerkDeletedUserDataSchema>;
