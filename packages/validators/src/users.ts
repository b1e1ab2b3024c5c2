import { z } from "zod";
import { bookingRulesSchema } from "./booking-rules.js";
import {
  emailSchema,
  hasNoNul,
  isoDateTimeSchema,
  noNulMessage,
  personNameMaxLength,
  timeZoneSchema,
  uuidSchema,
} from "./common.js";

export const clerkUserIdSchema = z.string().trim().min(1).max(255).refine(hasNoNul, noNulMessage);

const nameSchema = z.string().trim().max(personNameMaxLength).refine(hasNoNul, noNulMessage);

export const userSchema = z.object({
  id: uuidSchema,
  clerkUserId: z.string(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  microsoftCalendarConnected: z.boolean(),
  googleCalendarConnected: z.boolean(),
  /** IANA zone for working hours and spoken times; null means the server's DEFAULT_TIME_ZONE. */
  timeZone: z.string().nullable(),
  /** The user's booking rules as stored (null: the server's defaults); see validators/booking-rules. */
  bookingRules: bookingRulesSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;

export const byClerkIdInput = z.object({ clerkUserId: clerkUserIdSchema });
export type ByClerkIdInput = z.infer<typeof byClerkIdInput>;

export const createFromClerkInput = z.object({
  clerkUserId: clerkUserIdSchema,
  email: emailSchema,
  firstName: nameSchema.nullish(),
  lastName: nameSchema.nullish(),
  createdAt: isoDateTimeSchema.optional(),
});
export type CreateFromClerkInput = z.infer<typeof createFromClerkInput>;

/**
 * A service's statement of a Clerk user's profile as of Clerk's `updatedAt` (the existing frontend
 * forwards user.updated this way). Applied with the webhook's rules: ordered by updatedAt, never
 * reviving a deleted user. A missing email means Clerk has none (a placeholder is stored), as in the webhook.
 */
export const clerkProfileUpdateInput = z.object({
  clerkUserId: clerkUserIdSchema,
  email: emailSchema.nullish(),
  firstName: nameSchema.nullish(),
  lastName: nameSchema.nullish(),
  updatedAt: isoDateTimeSchema,
});
export type ClerkProfileUpdateInput = z.infer<typeof clerkProfileUpdateInput>;

export const clerkUserDeletionInput = z.object({ clerkUserId: clerkUserIdSchema });
export type ClerkUserDeletionInput = z.infer<typeof clerkUserDeletionInput>;

/** What a service's profile update or deletion did, in the webhook's terms; `user` is the row after it. */
export const clerkSyncResultSchema = z.object({
  outcome: z.string().describe("The webhook's outcome names: applied, stale, user_deleted, deleted"),
  detail: z.string().nullable(),
  user: userSchema.nullable(),
});
export type ClerkSyncResult = z.infer<typeof clerkSyncResultSchema>;

/** Fields left out stay as they are; null resets to the server's default. */
export const updateSettingsInput = z.object({
  timeZone: timeZoneSchema.nullable().optional(),
  /** The user's booking rules (replaced as a whole), the defaults of every agent of theirs. */
  bookingRules: bookingRulesSchema.nullable().optional(),
});
export type UpdateSettingsInput = z.infer<typeof updateSettingsInput>;
