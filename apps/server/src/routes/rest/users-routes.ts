/** The seed's user endpoints and the old frontend's GET /users/me, over the users/calendar procedures. */
import { z } from "zod";
import { legacyUserSchema, ok, successEnvelope, toLegacyUser } from "./legacy-shapes.js";
import { defineRoute } from "./rest-route.js";
import { booleanField, providerField } from "./wire-fields.js";

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
      created_at: z
        .union([z.string(), z.number().int().nonnegative().max(8.64e15)])
        .optional()
        .describe("ISO 8601 with offset, or Clerk's milliseconds since the epoch"),
    }),
  },
  response: { status: 200, schema: userAnswer, description: "The user" },
  async handle({ body }, call) {
    const createdAt =
      typeof body.created_at === "number" ? new Date(body.created_at).toISOString() : body.created_at;
    const user = await call().users.createFromClerk({
      clerkUserId: body.clerk_user_id,
      email: body.email,
      firstName: body.first_name,
      lastName: body.last_name,
      createdAt,
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
  response: { status: 200, schema: userAnswer, description: "The caller's user" },
  async handle(_request, call) {
    return ok(toLegacyUser(await call().users.me()));
  },
});

export const userRoutes = [createFromClerk, byClerkId, setCalendarStatus, me];
