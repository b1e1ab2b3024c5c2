/**
 * The old frontend's connect/status/disconnect paths: /calendar/auth/... for Microsoft and
 * /calendar/google/auth/... for Google, over calendar.connect, calendar.status and calendar.disconnect.
 */
import type { CalendarProviderId, CalendarProviderStatus } from "@viewings/validators";
import { z } from "zod";
import {
  legacyAuthStatusFields,
  legacyCalendarStatusSchema,
  ok,
  successEnvelope,
  toLegacyAuthStatus,
  toLegacyCalendarStatus,
} from "./legacy-shapes.js";
import { defineRoute, type RestRoute } from "./rest-route.js";

/** Where each provider's old paths live. */
export const legacyAuthPrefixes: Record<CalendarProviderId, string> = {
  microsoft: "/calendar/auth",
  google: "/calendar/google/auth",
};

const displayName: Record<CalendarProviderId, string> = { microsoft: "Microsoft", google: "Google" };

/**
 * The old backend sent the browser back to `{redirect_url}/users?auth=...` (the existing frontend
 * sends its origin and handles `auth=` on /users), so a flow started here returns there. Without
 * redirect_url the flow returns to the frontend's /users, the service's default. Whether the
 * destination is allowed is calendar.connect's decision: an unparsable value reaches it unchanged.
 */
function legacyReturnTo(redirectUrl: string | undefined): string | undefined {
  if (!redirectUrl) return undefined;
  try {
    const target = new URL(redirectUrl);
    target.pathname = `${target.pathname.replace(/\/+$/, "")}/users`;
    target.search = "";
    target.hash = "";
    return target.toString();
  } catch {
    return redirectUrl;
  }
}

/**
 * The entry a status path reports. The Microsoft paths are the old backend's generic ones, and the
 * existing frontend asks only them: they report whichever calendar is connected (Microsoft first).
 * The Google paths report Google.
 */
function reportedStatus(all: CalendarProviderStatus[], provider: CalendarProviderId): CalendarProviderStatus {
  const own = all.find((entry) => entry.provider === provider);
  if (!own) throw new Error(`calendar.status answered without ${provider}`);
  if (provider !== "microsoft" || own.connected) return own;
  return all.find((entry) => entry.connected) ?? own;
}

function authRoutes(provider: CalendarProviderId): RestRoute[] {
  const prefix = legacyAuthPrefixes[provider];
  const tag = "calendar connection";
  const start = defineRoute({
    method: "get",
    path: `${prefix}/start`,
    summary: `Start connecting a ${displayName[provider]} calendar: 307 to the consent screen`,
    description:
      "Location holds the provider's authorization URL (also in the body as auth_url). After consent " +
      "the browser returns to {redirect_url}/users (redirect_url: an allowed frontend origin; default " +
      "FRONTEND_URL) with auth=success, or auth=error&message=...",
    tag,
    auth: "user",
    procedures: ["calendar.connect"],
    request: {
      query: z.object({
        redirect_url: z
          .string()
          .optional()
          .describe("The frontend's origin: the browser lands on {redirect_url}/users?auth=success|error"),
      }),
    },
    response: {
      status: 307,
      schema: z.object({ auth_url: z.string() }),
      description: "Redirect to the provider's authorization URL",
    },
    fieldNames: { returnTo: "redirect_url" },
    async handle({ query }, call) {
      const { authorizationUrl } = await call().calendar.connect({
        provider,
        returnTo: legacyReturnTo(query.redirect_url),
      });
      return { status: 307, location: authorizationUrl, body: { auth_url: authorizationUrl } };
    },
  });

  const status = defineRoute({
    method: "get",
    path: `${prefix}/status`,
    summary:
      provider === "microsoft"
        ? "The signed-in user's calendar connection: Microsoft's, else whichever calendar is connected"
        : "The signed-in user's Google calendar connection",
    tag,
    auth: "user",
    procedures: ["users.me", "calendar.status"],
    request: {},
    response: {
      status: 200,
      schema: successEnvelope(legacyCalendarStatusSchema, legacyAuthStatusFields),
      description: "The status in the envelope, and the old backend's fields at the top level",
    },
    async handle(_request, call) {
      const user = await call().users.me();
      const reported = reportedStatus(await call().calendar.status(), provider);
      return ok(toLegacyCalendarStatus(reported), toLegacyAuthStatus(user, reported));
    },
  });

  const disconnect = defineRoute({
    method: "delete",
    path: `${prefix}/disconnect`,
    summary: `Disconnect the ${displayName[provider]} calendar (tokens forgotten, revoked at the provider)`,
    tag,
    auth: "user",
    procedures: ["calendar.disconnect"],
    request: {},
    response: {
      status: 200,
      schema: successEnvelope(legacyCalendarStatusSchema, { message: z.string() }),
      description: "Disconnected (also when nothing was connected)",
    },
    async handle(_request, call) {
      const after = await call().calendar.disconnect({ provider });
      return ok(toLegacyCalendarStatus(after), { message: "Calendar disconnected" });
    },
  });
  return [start, status, disconnect];
}

export const calendarAuthRoutes = [...authRoutes("microsoft"), ...authRoutes("google")];
