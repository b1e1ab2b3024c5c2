import type { CalendarProviderId } from "@viewings/validators";
import type { CalendarApi } from "../../providers/calendar-api.js";
import type { CalendarTokenService } from "../calendar/calendar-token-service.js";
import type { CalendarCache } from "./calendar-cache.js";

export interface EventsDependencies {
  calendars: Partial<Record<CalendarProviderId, CalendarApi>>;
  tokens: CalendarTokenService;
  cache: CalendarCache;
  /** Zone for users who have not set one (the old backend's America/Chicago by default). */
  defaultTimeZone: string;
  /** How long one provider may take (token refresh and retries included) before it is left out. */
  providerDeadlineMs: number;
  /** The current time in epoch ms: minimum notice and the horizon are measured from it (tests set it). */
  now: () => number;
}
