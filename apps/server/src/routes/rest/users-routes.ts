/** The seed's user endpoints and the old frontend's GET /users/me, over the users/calendar procedures. */
import type { User } from "@viewings/validators";
import { z } from "zod";
import {
  envelopedAndTopLevel,
  legacyUserSchema,
  ok,
  okAndTopLevel,
  successEnvelope,
  toLegacyUser,
} from "./legacy-shapes.js";
import { defineRoute } from "./rest-route.js";
import { booleanField, clerkTimeField, providerField } from "./wire-fields.js";

const userAnswer = successEnvelope(legacyUserSchema);

const createFromClerk = defineRoute({
  method: "post",
  path: "/users/create-from-clerk",
  summary: "Create or update the user of a Clerk account (idempotent)",
  tag: "users",
  auth: "service",
  procedures: ["users.createFromClerk"],
  request: {
    body: z.object({
      clerk_user_id: z.string(),
      email: z.string(),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      created_at: clerkTimeField
        .optional()
        .describe("ISO 8601 with offset, or Clerk's milliseconds since the epoch"),
    }),
  },
  response: { status: 200, schema: userAnswer, description: "The user" },
  async handle({ body }, call) {
    const user = await call().users.createFromClerk({
      clerkUserId: body.clerk_user_id,
      email: body.email,
      firstName: body.first_name,
      lastName: body.last_name,
      createdAt: body.created_at,
    });
    return ok(toLegacyUser(user));
  },
});

const byClerkId = defineRoute({
  method: "get",
  path: "/users/by-clerk-id/{clerk_user_id}",
  summary: "A user by Clerk id (a signed-in user: only their own)",
  tag: "users",
  auth: "userOrService",
  procedures: ["users.byClerkId"],
  request: { path: z.object({ clerk_user_id: z.string() }) },
  response: { status: 200, schema: userAnswer, description: "The user" },
  async handle({ path }, call) {
    const user = await call().users.byClerkId({ clerkUserId: path.clerk_user_id });
    return ok(toLegacyUser(user));
  },
});

/** What a forwarded Clerk change did: the webhook's outcome, and the user as stored afterwards. */
const syncAnswer = z.object({
  success: z.literal(true),
  outcome: z.string().describe("applied, stale (an older profile: nothing changed), user_deleted, deleted"),
  message: z.string(),
  data: legacyUserSchema.nullable(),
});

const syncResult = (result: { outcome: string; detail: string | null; user: User | null }) => ({
  status: 200 as const,
  body: {
    success: true as const,
    outcome: result.outcome,
    message: result.detail ?? result.outcome,
    data: result.user ? toLegacyUser(result.user) : null,
  },
});

const updateByClerkId = defineRoute({
  method: "patch",
  path: "/users/by-clerk-id/{clerk_user_id}",
  summary: "Apply a Clerk profile change forwarded by a service (the existing frontend's user.updated)",
  description:
    "The Clerk webhook's rules: a profile older than the stored one (updated_at) changes nothing " +
    "(outcome stale), and a deleted user stays deleted (outcome user_deleted). A user not yet known is created.",
  tag: "users",
  auth: "service",
  procedures: ["users.updateFromClerk"],
  request: {
    path: z.object({ clerk_user_id: z.string() }),
    body: z.object({
      email: z.string().nullish().describe("The primary address; absent: Clerk has none"),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      updated_at: clerkTimeField
        .optional()
        .describe("Clerk's updated_at, ISO 8601 with offset or milliseconds since the epoch; orders updates"),
    }),
  },
  response: { status: 200, schema: syncAnswer, description: "Applied, or ignored as stale/deleted" },
  fieldNames: { updatedAt: "updated_at", clerkUserId: "clerk_user_id" },
  async handle({ path, body }, call) {
    // A missing updated_at goes through as is: the procedure's own schema refuses it and names the field.
    const result = await call().users.updateFromClerk({
      clerkUserId: path.clerk_user_id,
      email: body.email,
      firstName: body.first_name,
      lastName: body.last_name,
      updatedAt: body.updated_at as string,
    });
    return syncResult(result);
  },
});

const deleteByClerkId = defineRoute({
  method: "delete",
  path: "/users/by-clerk-id/{clerk_user_id}",
  summary: "Delete a user Clerk deleted, forwarded by a service (the existing frontend's user.deleted)",
  description:
    "The Clerk webhook's deletion: the row and its calendar connections go, and a tombstone keeps any " +
    "later update from bringing the user back. Deleting an unknown or already deleted user is not an error.",
  tag: "users",
  auth: "service",
  procedures: ["users.deleteByClerkId"],
  request: { path: z.object({ clerk_user_id: z.string() }) },
  response: { status: 200, schema: syncAnswer, description: "Deleted (or already gone)" },
  fieldNames: { clerkUserId: "clerk_user_id" },
  async handle({ path }, call) {
    return syncResult(await call().users.deleteByClerkId({ clerkUserId: path.clerk_user_id }));
  },
});

const statusFields = z.object({ provider: providerField.optional(), connected: booleanField.optional() });

const setCalendarStatus = defineRoute({
  method: "patch",
  path: "/users/{user_id}/calendar-status",
  summary: "Set a calendar's connected flag (false disconnects)",
  description:
    "provider and connected as query parameters (as the old frontend sent them) or in a JSON body. " +
    "A signed-in user may name only themself; a service names any user.",
  tag: "users",
  auth: "userOrService",
  procedures: ["calendar.setStatus"],
  request: { path: z.object({ user_id: z.string() }), query: statusFields, body: statusFields },
  response: {
    status: 200,
    schema: z.object({ success: z.literal(true), message: z.literal("Calendar status updated") }),
    description: "Updated",
  },
  fieldNames: { userId: "user_id" },
  async handle({ path, query, body }, call) {
    // A missing value goes through as is: the procedure's own schema refuses it and names the field.
    await call().calendar.setStatus({
      provider: (body.provider ?? query.provider) as "microsoft",
      connected: (body.connected ?? query.connected) as boolean,
      userId: path.user_id,
    });
    return { status: 200, body: { success: true, message: "Calendar status updated" } as const };
  },
});

const me = defineRoute({
  method: "get",
  path: "/users/me",
  summary: "The signed-in user (created on first request)",
  tag: "users",
  auth: "user",
  procedures: ["users.me"],
  request: {},
  response: {
    status: 200,
    schema: envelopedAndTopLevel(legacyUserSchema),
    description: "The caller's user, in the envelope and at the top level (the old backend's shape)",
  },
  async handle(_request, call) {
    return okAndTopLevel(toLegacyUser(await call().users.me()));
  },
});

export const userRoutes = [
  createFromClerk,
  byClerkId,
  updateByClerkId,
  deleteByClerkId,
  setCalendarStatus,
  me,
];
