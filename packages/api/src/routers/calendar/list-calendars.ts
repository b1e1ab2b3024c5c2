import { listCalendarsOutput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/**
 * The calendars of every connected account (Graph /me/calendars, Google calendarList), to pick the
 * ones that count as busy and the one bookings go into (users.updateSettings / agents.update
 * bookingRules.busyCalendars and .destinationCalendar).
 */
export const listCalendars = protectedProcedure
  .output(listCalendarsOutput)
  .query(({ ctx }) => ctx.services.events.listCalendars(ctx.user));
