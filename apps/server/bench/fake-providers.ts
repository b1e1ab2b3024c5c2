/**
 * The loopback Microsoft and Google fakes (@viewings/calendar-sandbox), run as their own process so
 * their work does not share the server's event loop or CPU accounting. Every calendar API call is
 * answered after `latencyMs` (argv[2]).
 *
 * IPC: sends `{ env }` (the server's MICROSOFT_* / GOOGLE_* variables) once listening; answers
 * `{ type: "stats" }` with the number of calendar API calls per route so far.
 */
import { startFakeGoogle, startFakeMicrosoft } from "@viewings/calendar-sandbox";

const latencyMs = Number(process.argv[2] ?? 150);

const [microsoft, google] = await Promise.all([startFakeMicrosoft(), startFakeGoogle()]);
microsoft.state.api.latencyMs = latencyMs;
google.state.api.latencyMs = latencyMs;
// The call log would grow for the whole run; the bench only needs the counts.
microsoft.state.api.logCalls = false;
google.state.api.logCalls = false;

// Every bench user connects the same two accounts: a working week with some busy time in each.
const busy = (day: number, hourUtc: number, title: string) => ({
  title,
  start: `2027-03-${day}T${String(hourUtc).padStart(2, "0")}:00:00Z`,
  end: `2027-03-${day}T${String(hourUtc + 1).padStart(2, "0")}:00:00Z`,
});
for (let day = 15; day <= 26; day++) {
  microsoft.state.calendars.add(microsoft.state.account.mail ?? "", busy(day, 15, "Viewing"));
  google.state.calendars.add(google.state.email, busy(day, 19, "Call"));
}

const stats = () =>
  Object.fromEntries([...microsoft.state.api.counts.entries(), ...google.state.api.counts.entries()]);

process.on("message", (message: { type?: string }) => {
  if (message.type === "stats") process.send?.({ type: "stats", stats: stats() });
});
process.on("SIGTERM", () => {
  Promise.all([microsoft.close(), google.close()]).finally(() => process.exit(0));
});
process.send?.({ env: { ...microsoft.env, ...google.env } });
