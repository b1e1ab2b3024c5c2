import type { Keyring } from "../../crypto/keyring.js";
import type { CalendarProviders } from "../../providers/calendar-provider.js";

/** What the calendar services need from the server's configuration. */
export interface CalendarDependencies {
  /** Only configured providers appear; a missing one is reported unavailable. */
  providers: CalendarProviders;
  keyring: Keyring;
  /**
   * The server's public base URL, for redirect URIs `${publicUrl}/oauth/<provider>/callback`. A function
   * because by default it is derived from the port the server ends up listening on.
   */
  publicUrl: () => string;
  /** Where the browser lands after the callback unless the flow asked for another allowed URL. */
  frontendUrl: string;
  /** Origins a `returnTo` may point at (the frontend's and CORS_ORIGINS). */
  allowedReturnOrigins: readonly string[];
  /** Upper bound of one provider HTTP call, also bounding how long a refresh holds its row lock. */
  providerTimeoutMs: number;
  /** Refresh when the access token has less than this left. Default 60 s. */
  refreshAheadMs?: number;
  /**
   * Flows the old frontend starts (it cannot confirm a connection): "direct" attaches them in the
   * callback as before (the forwarded-link risk stays for them, see README), "confirm" parks them too.
   */
  legacyConnect?: "direct" | "confirm";
  /** How long a started connect flow stays valid. Default 10 minutes. */
  stateTtlMs?: number;
  /** How long a handed-out access token is reused without reading the row again. Default 30 s. */
  recentTokenMaxAgeMs?: number;
  /** Told when a user's connections change (connected, disconnected, needs reconnect): drops caches. */
  onConnectionChanged?: (userId: string) => void;
}
