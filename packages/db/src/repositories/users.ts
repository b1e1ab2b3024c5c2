import type { Database } from "../client.js";
import type { Prisma, User } from "../generated/prisma/client.js";
import { jsonColumn } from "../json-column.js";

export type UserRow = User;

export interface UserProfileData {
  clerkUserId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  createdAt?: Date;
}

export function findUserById(db: Database, id: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { id } });
}

export function findUserByClerkId(db: Database, clerkUserId: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { clerkUserId } });
}

export interface UserSettings {
  timeZone?: string | null;
  /** Validated by the caller (validators/booking-rules.ts); null clears them. */
  bookingRules?: Prisma.InputJsonValue | null;
}

/** Writes the settings given; a field left out keeps its value. */
export function updateUserSettings(db: Database, id: string, settings: UserSettings): Promise<UserRow> {
  const { bookingRules, ...rest } = settings;
  return db.user.update({ where: { id }, data: { ...rest, bookingRules: jsonColumn(bookingRules) } });
}
