/**
 * The old frontend's connect/status/disconnect paths: /calendar/auth/... for Microsoft and
 * /calendar/google/auth/... for Google, over calendar.connect, calendar.status and calendar.disconnect.
 */
import type { CalendarProviderId } from "@viewings/validators";
import { z } from "zod";
import { legacyCalendarStatusSchema, ok, successEnvelope, toLegacyCalendarStatus } from "./legacy-shapes.js";
import { defineRoute, type RestRoute } from "./rest-route.js";

/** Where each provider's old paths live. */
export const legacyAuthPrefixes: Record<CalendarProviderId, string> = {
  microsoft: "/calendar/auth",
  google: "/calendar/google/auth",
};

const displayName: Record<CalendarProviderId, string> = { microsoft: "Microsoft", google: "Google" };

function authRoutes(provider: CalendarProviderId): RestRoute[] {
  const prefix = legacyAuthPrefixes[provider];
  const tag = "calendar connection";
  const start = defineRoute({
    method: "get",
    path: `${prefix}/start`,
    summary: `Start connecting a ${displayName[provider]} calendar: 307 to the consent screen`,
    description:
      "Location holds the provider's authorization URL (also in the body as auth_url). After consent " +
      "the browser returns to redirect_url (an allowed frontend origin) with auth=success or auth=error.",
    tag,
    auth: "user",
    procedures: ["calendar.connect"],
    request: {
      query: z.object({
        redirect_url: z.string().optional().describe("Where the browser lands after consent"),
      }),
    },
    response: {
      status: 307,
      schema: z.object({ auth_url: z.string() }),
      description: "Redirect to the provider's authorization URL",
    },
    fieldNames: { returnTo: "redirect_url" },
    async handle({ query }, call) {
      const { authorizationUrl } = await call().calendar.connect({ provider, returnTo: query.redirect_url });
      return { status: 307, location: authorizationUrl, body: { auth_url: authorizationUrl } };
    },
  });

  const status = defineRoute({
    method: "get",
    path: `${prefix}/status`,
    summary: `The ${displayName[provider]} calendar connection of the signed-in user`,
    tag,
    auth: "user",
    procedures: ["calendar.status"],
    request: {},
    response: { status: 200, schema: successEnvelope(legacyCalendarStatusSchema), description: "Status" },
    async handle(_request, call) {
      const all = await call().calendar.status();
      const mine = all.find((entry) => entry.provider === provider);
      if (!mine) throw new Error(`calendar.status answered without ${provider}`);
      return ok(toLegacyCalendarStatus(mine));
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
