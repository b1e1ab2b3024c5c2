import {
  consumeOAuthState,
  consumePendingConnection,
  type Database,
  deleteExpiredOAuthStates,
  deleteExpiredPendingConnections,
  insertOAuthState,
  insertPendingConnection,
  saveCalendarConnection,
} from "@viewings/db";
import type { CalendarProviderId } from "@viewings/validators";
import type { TokenCipher } from "../../crypto/token-cipher.js";
import { DomainError, forbidden } from "../../errors.js";
import type { CalendarProvider } from "../../providers/calendar-provider.js";
import { ProviderError } from "../../providers/provider-error.js";
import { codeVerifierAad, connectionTokenAad } from "./associated-data.js";
import type { CalendarDependencies } from "./calendar-dependencies.js";
import { providerNotConfigured } from "./calendar-errors.js";
import { pkceChallenge, randomUrlSafe, sha256Hex } from "./pkce.js";
import { checkReturnTo, withConfirmation, withOutcome } from "./return-to.js";

/** The query the provider sends the browser back with. */
export interface CallbackParams {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
}

export interface CallbackResult {
  /** Where to send the browser: the flow's returnTo or the frontend, with auth=success|error. */
  redirectTo: string;
  ok: boolean;
  /** Why it failed, for the server log (safe: no code, state or token). */
  reason?: string;
}

const defaultStateTtlMs = 10 * 60_000;
/** How long a parked connection waits for its starter's confirmation. */
const confirmationTtlMs = 10 * 60_000;

/**
 * Who may complete a flow. "confirm": the callback parks the calendar and the starter confirms it with
 * their own session (calendar.confirmConnection). "legacy": a flow the old frontend started, which
 * cannot confirm; CALENDAR_LEGACY_CONNECT decides whether its callback attaches at once.
 */
export type ConnectOrigin = "confirm" | "legacy";

/** A confirmation code that is unknown, used, expired or someone else's: one answer, no hints. */
const invalidConfirmation = () =>
  new DomainError("bad_request", "code: unknown or expired confirmation code; connect again");

/** Starts connect flows (state + PKCE) and completes them in the provider's callback. */
export class CalendarAuthService {
  constructor(
    private readonly db: Database,
    private readonly deps: CalendarDependencies,
    private readonly cipher: TokenCipher,
  ) {}

  redirectUri(provider: CalendarProviderId): string {
    return `${this.deps.publicUrl().replace(/\/+$/, "")}/oauth/${provider}/callback`;
  }

  /** Returns the provider's authorization URL for this user; the state in it is usable once, for 10 min. */
  async connect(
    userId: string,
    providerId: CalendarProviderId,
    returnTo?: string,
    origin: ConnectOrigin = "confirm",
  ): Promise<string> {
    const provider = this.deps.providers[providerId];
    if (!provider) throw providerNotConfigured(providerId);
    const destination = checkReturnTo(returnTo, this.deps.allowedReturnOrigins);
    const state = randomUrlSafe();
    const verifier = randomUrlSafe();
    const stateHash = sha256Hex(state);
    await deleteExpiredOAuthStates(this.db);
    await deleteExpiredPendingConnections(this.db);
    await insertOAuthState(this.db, {
      stateHash,
      userId,
      provider: providerId,
      codeVerifier: this.cipher.encrypt(verifier, codeVerifierAad(stateHash)),
      returnTo: destination,
      needsConfirmation: origin === "confirm" || this.deps.legacyConnect !== "direct",
      expiresAt: new Date(Date.now() + (this.deps.stateTtlMs ?? defaultStateTtlMs)),
    });
    return provider.authorizationUrl({
      state,
      codeChallenge: pkceChallenge(verifier),
      redirectUri: this.redirectUri(providerId),
    });
  }

  /**
   * Completes a flow: the state must exist, belong to this provider and be unexpired; it is deleted
   * whatever happens next, so it cannot be replayed. Only then is the code exchanged (with the verifier,
   * so a code obtained in another flow fails). The browser finishing the flow need not be the starter's
   * (a link can be forwarded), so the calendar is parked under a one-time code that only the starter's
   * session can confirm; the old frontend's flows may attach at once (see ConnectOrigin).
   */
  async completeCallback(providerId: CalendarProviderId, params: CallbackParams): Promise<CallbackResult> {
    const fail = (target: string, message: string, reason: string): CallbackResult => ({
      redirectTo: withOutcome(target, { ok: false, message }),
      ok: false,
      reason,
    });
    const fallback = `${this.deps.frontendUrl.replace(/\/+$/, "")}/users`;

    if (!params.state) return fail(fallback, "Missing state; start connecting again", "no state");
    const stateHash = sha256Hex(params.state);
    const flow = await consumeOAuthState(this.db, stateHash);
    if (!flow || flow.provider !== providerId) {
      return fail(fallback, "Invalid or already used link; start connecting again", "unknown state");
    }
    const target = flow.returnTo ?? fallback;
    if (flow.expiresAt.getTime() <= Date.now()) {
      return fail(target, "The connect link expired; start connecting again", "expired state");
    }
    if (params.error) {
      const message = params.error === "access_denied" ? "Access was not granted" : "The provider refused";
      return fail(target, message, `provider error ${params.error.slice(0, 64)}`);
    }
    if (!params.code) return fail(target, "The provider sent no code", "no code");
    const provider = this.deps.providers[providerId];
    if (!provider) return fail(target, "This calendar provider is not available", "provider not configured");

    let connection: ReceivedConnection;
    try {
      const verifier = this.cipher.decrypt(flow.codeVerifier, codeVerifierAad(stateHash)).plaintext;
      connection = await this.receive(flow.userId, provider, params.code, verifier);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      return fail(target, `Could not connect your ${provider.displayName} calendar`, error.message);
    }
    if (!flow.needsConfirmation) {
      await this.attach(connection);
      return { redirectTo: withOutcome(target, { ok: true }), ok: true };
    }
    const code = randomUrlSafe();
    await insertPendingConnection(this.db, {
      ...connection,
      codeHash: sha256Hex(code),
      expiresAt: new Date(Date.now() + confirmationTtlMs),
    });
    return { redirectTo: withConfirmation(target, code), ok: true };
  }

  /**
   * Attaches a parked calendar to the signed-in user, only if they started its flow. In a forwarded
   * link the code lands in the other person's browser, whose session is theirs: refused, and the code
   * is burnt, so the starter never gets that calendar.
   */
  async confirmConnection(userId: string, code: string): Promise<CalendarProviderId> {
    const pending = await consumePendingConnection(this.db, sha256Hex(code));
    if (!pending || pending.expiresAt.getTime() <= Date.now()) throw invalidConfirmation();
    if (pending.userId !== userId) {
      throw forbidden("This calendar was connected from a link started by another account; connect again");
    }
    const { codeHash: _code, expiresAt: _expires, ...connection } = pending;
    await this.attach(connection);
    return pending.provider;
  }

  /** Where to send the browser when completing the flow failed unexpectedly (e.g. the database). */
  unexpectedFailureRedirect(): string {
    return withOutcome(`${this.deps.frontendUrl.replace(/\/+$/, "")}/users`, {
      ok: false,
      message: "Something went wrong; try connecting again",
    });
  }

  /** Exchanges the code and reads the account; tokens are encrypted for the starter's connection row. */
  private async receive(
    userId: string,
    provider: CalendarProvider,
    code: string,
    verifier: string,
  ): Promise<ReceivedConnection> {
    const tokens = await provider.exchangeCode({
      code,
      codeVerifier: verifier,
      redirectUri: this.redirectUri(provider.id),
    });
    const accountEmail = await provider.fetchAccountEmail(tokens.accessToken);
    const aad = (field: "access_token" | "refresh_token") => connectionTokenAad(userId, provider.id, field);
    return {
      userId,
      provider: provider.id,
      accessToken: this.cipher.encrypt(tokens.accessToken, aad("access_token")),
      refreshToken: tokens.refreshToken
        ? this.cipher.encrypt(tokens.refreshToken, aad("refresh_token"))
        : null,
      tokenExpiresAt: tokens.expiresAt,
      accountEmail: accountEmail?.toLowerCase().slice(0, 255) ?? null,
      scope: tokens.scope,
    };
  }

  private async attach({ tokenExpiresAt, ...connection }: ReceivedConnection) {
    await saveCalendarConnection(this.db, { ...connection, expiresAt: tokenExpiresAt });
    this.deps.onConnectionChanged?.(connection.userId);
  }
}

/** A calendar handed over by the provider, tokens already encrypted. */
interface ReceivedConnection {
  userId: string;
  provider: CalendarProviderId;
  accessToken: string;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
  accountEmail: string | null;
  scope: string | null;
}
