import type { CalendarProviderId } from "@viewings/validators";
import { DomainError } from "../../errors.js";

const names: Record<CalendarProviderId, string> = { microsoft: "Microsoft", google: "Google" };
const clientIdVariable: Record<CalendarProviderId, string> = {
  microsoft: "MICROSOFT_CLIENT_ID",
  google: "GOOGLE_CLIENT_ID",
};

export const providerName = (provider: CalendarProviderId) => names[provider];

export const providerNotConfigured = (provider: CalendarProviderId) =>
  new DomainError(
    "precondition_failed",
    `${names[provider]} calendar is not available on this server (${clientIdVariable[provider]} is not configured)`,
  );

export const notConnected = (provider: CalendarProviderId) =>
  new DomainError(
    "precondition_failed",
    `No ${names[provider]} calendar is connected: connect it first (calendar.connect)`,
  );

export const reconnectRequired = (provider: CalendarProviderId) =>
  new DomainError("precondition_failed", `Reconnect your ${names[provider]} calendar`);

export const providerUnavailable = (provider: CalendarProviderId, cause: unknown) =>
  new DomainError("unavailable", `${names[provider]} did not answer as expected; try again shortly`, {
    cause,
  });
