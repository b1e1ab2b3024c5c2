import { z } from "zod";
import {
  emailSchema,
  hasNoNul,
  isoDateTimeSchema,
  noNulMessage,
  personNameMaxLength,
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
