import {
  type CalendarDependencies,
  type CalendarProviders,
  createGoogleProvider,
  createMicrosoftProvider,
} from "@viewings/api";
import type { CalendarConfig } from "./calendar.js";
import type { WebConfig } from "./web.js";

/** Wires configured providers and URLs into what the calendar services need. */
export function createCalendarDependencies(
  calendar: CalendarConfig,
  web: WebConfig,
  publicUrl: () => string,
): CalendarDependencies {
  const providers: CalendarProviders = {};
  if (calendar.microsoft) providers.microsoft = createMicrosoftProvider(calendar.microsoft);
  if (calendar.google) providers.google = createGoogleProvider(calendar.google);
  return {
    providers,
    keyring: calendar.keyring,
    publicUrl,
    frontendUrl: web.frontendUrl,
    allowedReturnOrigins: web.corsOrigins,
    providerTimeoutMs: calendar.timeoutMs,
    legacyConnect: calendar.legacyConnect,
  };
}
