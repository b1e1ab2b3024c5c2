import {
  type Database,
  findUserByClerkId,
  findUserById,
  isClerkUserDeleted,
  type UserProfileData,
  updateUserSettings,
  upsertUserUnlessDeleted,
  violatedUniqueConstraint,
} from "@viewings/db";
import type { CreateFromClerkInput, UpdateSettingsInput, User } from "@viewings/validators";
import { emailSchema } from "@viewings/validators";
import type { SessionClaims } from "../../caller.js";
import { conflict, DomainError, notFound } from "../../errors.js";
import type { ClerkProfileSource } from "./clerk-profile-source.js";
import { toUserDto } from "./user-dto.js";

const deletedUser = () => notFound("This Clerk user has been deleted");

export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly profiles: ClerkProfileSource,
  ) {}

  async getByClerkId(clerkUserId: string): Promise<User> {
    const row = await findUserByClerkId(this.db, clerkUserId);
    if (!row) throw notFound(`No user with Clerk id ${clerkUserId}`);
    return toUserDto(row);
  }

  /** A user by this backend's id; for a service acting for a named user (see Context.actingFor). */
  async getById(userId: string): Promise<User> {
    const row = await findUserById(this.db, userId);
    if (!row) throw notFound(`No user with id ${userId}`);
    return toUserDto(row);
  }

  /** Idempotent: the same Clerk user always maps to one row, updated in place. */
  async createFromClerk(input: CreateFromClerkInput): Promise<User> {
    return this.upsert({
      clerkUserId: input.clerkUserId,
      email: input.email,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      ...(input.createdAt ? { createdAt: new Date(input.createdAt) } : {}),
    });
  }

  /**
   * The row of a signed-in user. Clerk's webhook normally creates it, but webhooks are eventually
   * consistent, so the first authenticated request creates it from the session's claims or, when
   * those lack an email, from Clerk's Backend API.
   */
  async ensureForSession(clerkUserId: string, claims: SessionClaims): Promise<User> {
    const existing = await findUserByClerkId(this.db, clerkUserId);
    if (existing) return toUserDto(existing);
    // Checked before asking Clerk: the Backend API knows no deleted user. upsert() checks again under
    // the lock the webhook takes, which closes the race with a deletion arriving meanwhile.
    if (await isClerkUserDeleted(this.db, clerkUserId)) throw deletedUser();
    const email = emailSchema.safeParse(claims.email);
    const profile = email.success
      ? {
          clerkUserId,
          email: email.data,
          firstName: claims.firstName ?? null,
          lastName: claims.lastName ?? null,
        }
      : await this.profiles.fetchProfile(clerkUserId);
    if (!profile)
      throw new DomainError("unavailable", "Your account is still being set up; try again shortly");
    return this.upsert(profile);
  }

  /** The time zone and booking rules given (validated by the schema); fields left out stay. */
  async updateSettings(userId: string, settings: UpdateSettingsInput): Promise<User> {
    return toUserDto(
      await updateUserSettings(this.db, userId, {
        ...(settings.timeZone === undefined ? {} : { timeZone: settings.timeZone }),
        ...(settings.bookingRules === undefined ? {} : { bookingRules: settings.bookingRules }),
      }),
    );
  }

  private async upsert(data: UserProfileData): Promise<User> {
    try {
      const row = await upsertUserUnlessDeleted(this.db, data);
      if (!row) throw deletedUser();
      return toUserDto(row);
    } catch (error) {
      if (violatedUniqueConstraint(error)?.includes("email")) {
        throw conflict("This email address belongs to another user");
      }
      throw error;
    }
  }
}
