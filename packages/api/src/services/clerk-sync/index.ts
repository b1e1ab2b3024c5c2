export type { DeliveryOutcome } from "./apply-event.js";
export { type ClerkDelivery, ClerkSyncService, type DeliveryResult } from "./clerk-sync-service.js";
export { isPlaceholderEmail, placeholderEmail } from "./placeholder-email.js";
