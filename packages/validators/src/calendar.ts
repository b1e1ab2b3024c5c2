import { z } from "zod";
import { hasNoNul, isoDateTimeSchema, noNulMessage, uuidSchema } from "./common.js";

export const calendarProviderSchema = z.enum(["microsoft", "google"]);
export type CalendarProviderId = z.infer<typeof calendarProviderSchema>;
export const calendarProviderIds = calendarProviderSchema.options;

/** Where the browser goes after the provider's consent screen; must be on an allowed frontend origin. */
const returnToSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine(hasNoNul, noNulMessage);

export const connectCalendarInput = z.object({
  provider: calendarProviderSchema,
  returnTo: returnToSchema.optional(),
});
export type ConnectCalendarInput = z.infer<typeof connectCalendarInput>;

export const connectCalendarOutput = z.object({
  /** The provider's authorization URL; the frontend navigates the browser there. */
  authorizationUrl: z.url(),
});
export type ConnectCalendarOutput = z.infer<typeof connectCalendarOutput>;

/** One provider's connection as the UI shows it. Deliberately has no field that could hold a token. */
export const calendarProviderStatusSchema = z.object({
  provider: calendarProviderSchema,
  /** False when this server has no OAuth client configured for the provider. */
  available: z.boolean(),
  connected: z.boolean(),
  accountEmail: z.string().nullable(),
  /** When the current access token expires (it is refreshed automatically). */
  expiresAt: isoDateTimeSchema.nullable(),
  /** The provider refused the stored grant: the user must connect again. */
  needsReconnect: z.boolean(),
});
export type CalendarProviderStatus = z.infer<typeof calendarProviderStatusSchema>;

export const calendarStatusOutput = z.array(calendarProviderStatusSchema);

/** The one-time code the callback put in the frontend's URL (`?auth=confirm&confirmation=...`). */
export const confirmConnectionInput = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, "must be the confirmation value from the redirect"),
});
export type ConfirmConnectionInput = z.infer<typeof confirmConnectionInput>;

export const disconnectCalendarInput = z.object({ provider: calendarProviderSchema });

/** The old `PATCH /users/{id}/calendar-status`: a signed-in user names no one else; a service names the user. */
export const setCalendarStatusInput = z.object({
  provider: calendarProviderSchema,
  connected: z.boolean(),
  userId: uuidSchema.optional(),
});
export type SetCalendarStatusInput = z.infer<typeof setCalendarStatusInput>;

export const setCalendarStatusOutput = z.object({
  userId: uuidSchema,
  provider: calendarProviderSchema,
  connected: z.boolean(),
});
