import type { Database } from "@viewings/db";
import { TokenCipher } from "../../crypto/token-cipher.js";
import { CalendarAuthService } from "./calendar-auth-service.js";
import { CalendarConnectionsService } from "./calendar-connections-service.js";
import type { CalendarDependencies } from "./calendar-dependencies.js";
import { CalendarTokenService } from "./calendar-token-service.js";

export type { CalendarDependencies } from "./calendar-dependencies.js";

export function createCalendarServices(db: Database, deps: CalendarDependencies) {
  const cipher = new TokenCipher(deps.keyring);
  return {
    auth: new CalendarAuthService(db, deps, cipher),
    connections: new CalendarConnectionsService(db, deps.providers, cipher, deps.onConnectionChanged),
    tokens: new CalendarTokenService(db, deps.providers, cipher, {
      refreshAheadMs: deps.refreshAheadMs ?? 60_000,
      providerTimeoutMs: deps.providerTimeoutMs,
      ...(deps.onConnectionChanged ? { onConnectionChanged: deps.onConnectionChanged } : {}),
      ...(deps.recentTokenMaxAgeMs ? { recentTokenMaxAgeMs: deps.recentTokenMaxAgeMs } : {}),
    }),
  };
}

export type CalendarServices = ReturnType<typeof createCalendarServices>;
