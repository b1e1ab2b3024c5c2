import {
  type Database,
  deleteCalendarConnection,
  findUserById,
  listCalendarConnections,
  syncCalendarFlag,
} from "@viewings/db";
import {
  type CalendarProviderId,
  type CalendarProviderStatus,
  calendarProviderIds,
} from "@viewings/validators";
import type { TokenCipher } from "../../crypto/token-cipher.js";
import { notFound } from "../../errors.js";
import type { CalendarProviders } from "../../providers/calendar-provider.js";
import { connectionTokenAad } from "./associated-data.js";
import { notConnected } from "./calendar-errors.js";

/** Status, disconnect and the legacy connected flag of a user's calendar connections. */
export class CalendarConnectionsService {
  constructor(
    private readonly db: Database,
    private readonly providers: CalendarProviders,
    private readonly cipher: TokenCipher,
    private readonly onConnectionChanged: (userId: string) => void = () => {},
  ) {}

  /** One entry per supported provider; built from columns that hold no token. */
  async status(userId: string): Promise<CalendarProviderStatus[]> {
    const rows = await listCalendarConnections(this.db, userId);
    return calendarProviderIds.map((provider) => {
      const row = rows.find((candidate) => candidate.provider === provider);
      return {
        provider,
        available: this.providers[provider] !== undefined,
        connected: row !== undefined,
        accountEmail: row?.accountEmail ?? null,
        expiresAt: row?.expiresAt?.toISOString() ?? null,
        needsReconnect: row?.needsReconnect ?? false,
      };
    });
  }

  async statusOf(userId: string, provider: CalendarProviderId): Promise<CalendarProviderStatus> {
    const all = await this.status(userId);
    return all.find((entry) => entry.provider === provider) as CalendarProviderStatus;
  }

  /** Forgets the connection (and clears the flag) first; revoking at the provider is best effort after. */
  async disconnect(userId: string, provider: CalendarProviderId): Promise<CalendarProviderStatus> {
    const removed = await deleteCalendarConnection(this.db, userId, provider);
    this.onConnectionChanged(userId);
    const client = this.providers[provider];
    if (removed && client) {
      try {
        const decrypt = (field: "access_token" | "refresh_token", value: string) =>
          this.cipher.decrypt(value, connectionTokenAad(userId, provider, field)).plaintext;
        await client.revoke({
          accessToken: decrypt("access_token", removed.accessToken),
          refreshToken: removed.refreshToken ? decrypt("refresh_token", removed.refreshToken) : null,
        });
      } catch {
        // The grant stays valid at the provider until it expires or the user withdraws it there; the
        // connection is gone here either way, which is what disconnect promises.
      }
    }
    return this.statusOf(userId, provider);
  }

  /**
   * The old PATCH /users/{id}/calendar-status: false disconnects; true only re-asserts a connection
   * that exists (the flag cannot claim a connection without tokens).
   */
  async setConnected(userId: string, provider: CalendarProviderId, connected: boolean) {
    if (!(await findUserById(this.db, userId))) throw notFound(`No user with id ${userId}`);
    if (!connected) {
      await this.disconnect(userId, provider);
      return { userId, provider, connected: false };
    }
    if (!(await syncCalendarFlag(this.db, userId, provider))) throw notConnected(provider);
    return { userId, provider, connected: true };
  }
}
