export type { DeliveryOutcome } from "./apply-event.js";
export { type ClerkDelivery, ClerkSyncService, type DeliveryResult } from "./clerk-sync-service.js";
export { placeholderEmail } from "./placeholder-email.js";
