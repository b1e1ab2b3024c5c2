import { router } from "../../trpc.js";
import { confirmConnection } from "./confirm-connection.js";
import { connect } from "./connect.js";
import { disconnect } from "./disconnect.js";
import { listCalendars } from "./list-calendars.js";
import { setStatus } from "./set-status.js";
import { status } from "./status.js";

export const calendarRouter = router({
  connect,
  confirmConnection,
  status,
  disconnect,
  setStatus,
  listCalendars,
});
