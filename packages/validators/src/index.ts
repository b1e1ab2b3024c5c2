export * from "./agents.js";
export * from "./appointments.js";
export * from "./booking-rules.js";
export * from "./calendar.js";
export * from "./clerk-webhook.js";
export * from "./common.js";
export * from "./events.js";
export * from "./users.js";
