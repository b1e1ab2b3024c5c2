import type { Database } from "@viewings/db";
import { AgentsService } from "./agents/agents-service.js";
import { AppointmentsService } from "./appointments/appointments-service.js";
import { type CalendarDependencies, createCalendarServices } from "./calendar/index.js";
import { ClerkSyncService } from "./clerk-sync/index.js";
import { CalendarCache } from "./scheduling/calendar-cache.js";
import { EventsService } from "./scheduling/events-service.js";
import type { ClerkProfileSource } from "./users/clerk-profile-source.js";
import { UsersService } from "./users/users-service.js";
import { VoiceAgentService } from "./voice-agent/voice-agent-service.js";

export interface ServiceDependencies {
  db: Database;
  clerkProfiles: ClerkProfileSource;
  calendar: CalendarDependencies;
  events: {
    /** IANA zone for users who have not chosen one. */
    defaultTimeZone: string;
    /** How long provider answers (busy times, listings) are reused. */
    cacheTtlMs: number;
    /** How long one provider may take before an answer goes out without it. */
    providerDeadlineMs: number;
  };
  voiceAgent: {
    matchGlobalSecret: (presented: string) => boolean;
    deadlineMs: number;
  };
  /** The clock booking rules are measured from; Date.now unless a test controls time. */
  now?: () => number;
}

/** Built once per process; every request's context shares them. */
export function createServices(deps: ServiceDependencies) {
  const cache = new CalendarCache(deps.events.cacheTtlMs);
  const calendar = createCalendarServices(deps.db, {
    ...deps.calendar,
    onConnectionChanged: (userId) => {
      cache.invalidate(userId);
      calendar.tokens.forget(userId);
    },
  });
  const events = new EventsService(deps.db, {
    calendars: deps.calendar.providers,
    tokens: calendar.tokens,
    cache,
    defaultTimeZone: deps.events.defaultTimeZone,
    providerDeadlineMs: deps.events.providerDeadlineMs,
    now: deps.now ?? Date.now,
  });
  const webhookUrl = () => `${deps.calendar.publicUrl().replace(/\/+$/, "")}/webhooks/vapi`;
  return {
    agents: new AgentsService(deps.db, {
      webhookUrl,
      rulesOf: (owner, agent) => events.rulesOfAgent(owner, agent),
    }),
    users: new UsersService(deps.db, deps.clerkProfiles),
    clerkSync: new ClerkSyncService(deps.db),
    calendar,
    events,
    appointments: new AppointmentsService(deps.db),
    voiceAgent: new VoiceAgentService({
      db: deps.db,
      events,
      ...deps.voiceAgent,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

// Every procedure's context carries the services; declared here rather than in trpc.ts so the router's
// types (which name Context) do not import the services and, through them, the database.
declare module "../trpc.js" {
  interface Context {
    services: Services;
  }
}
