import type { Database } from "../client.js";
import type { User } from "../generated/prisma/client.js";

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

/** Inserts or updates the row of one Clerk user in a single statement (INSERT ... ON CONFLICT). */
export function upsertUserByClerkId(db: Database, data: UserProfileData): Promise<UserRow> {
  const { clerkUserId, createdAt, ...profile } = data;
  return db.user.upsert({
    where: { clerkUserId },
    create: { clerkUserId, ...profile, ...(createdAt ? { createdAt } : {}) },
    update: { ...profile, ...(createdAt ? { createdAt } : {}) },
  });
}

export function updateUserTimeZone(db: Database, id: string, timeZone: string | null): Promise<UserRow> {
  return db.user.update({ where: { id }, data: { timeZone } });
}
