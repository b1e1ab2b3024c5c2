import type { UserRow } from "@viewings/db";
import type { User } from "@viewings/validators";
import { storedUserRules } from "../scheduling/booking-rules.js";

/** The API's view of a user row: the table's columns in camelCase, timestamps as ISO strings. */
export function toUserDto(row: UserRow): User {
  return {
    id: row.id,
    clerkUserId: row.clerkUserId,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    microsoftCalendarConnected: row.microsoftCalendarConnected,
    googleCalendarConnected: row.googleCalendarConnected,
    timeZone: row.timeZone,
    bookingRules: storedUserRules(row.bookingRules),
  };
}
