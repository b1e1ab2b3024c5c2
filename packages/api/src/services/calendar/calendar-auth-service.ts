import {
  consumeOAuthState,
  type Database,
  deleteExpiredOAuthStates,
  insertOAuthState,
  saveCalendarConnection,
} from "@viewings/db";
import type { CalendarProviderId } from "@viewings/validators";
import type { TokenCipher } from "../../crypto/token-cipher.js";
import type { CalendarProvider } from "../../providers/calendar-provider.js";
import { ProviderError } from "../../providers/provider-error.js";
import { codeVerifierAad, connectionTokenAad } from "./associated-data.js";
import type { CalendarDependencies } from "./calendar-dependencies.js";
import { providerNotConfigured } from "./calendar-errors.js";
import { pkceChallenge, randomUrlSafe, sha256Hex } from "./pkce.js";
import { checkReturnTo, withOutcome } from "./return-to.js";

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
  async connect(userId: string, providerId: CalendarProviderId, returnTo?: string): Promise<string> {
    const provider = this.deps.providers[providerId];
    if (!provider) throw providerNotConfigured(providerId);
    const destination = checkReturnTo(returnTo, this.deps.allowedReturnOrigins);
    const state = randomUrlSafe();
    const verifier = randomUrlSafe();
    const stateHash = sha256Hex(state);
    await deleteExpiredOAuthStates(this.db);
    await insertOAuthState(this.db, {
      stateHash,
      userId,
      provider: providerId,
      codeVerifier: this.cipher.encrypt(verifier, codeVerifierAad(stateHash)),
      returnTo: destination,
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
   * so a code obtained in another flow fails) and the connection stored with the user's flag.
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

    try {
      const verifier = this.cipher.decrypt(flow.codeVerifier, codeVerifierAad(stateHash)).plaintext;
      await this.store(flow.userId, provider, params.code, verifier);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      return fail(target, `Could not connect your ${provider.displayName} calendar`, error.message);
    }
    return { redirectTo: withOutcome(target, { ok: true }), ok: true };
  }

  /** Where to send the browser when completing the flow failed unexpectedly (e.g. the database). */
  unexpectedFailureRedirect(): string {
    return withOutcome(`${this.deps.frontendUrl.replace(/\/+$/, "")}/users`, {
      ok: false,
      message: "Something went wrong; try connecting again",
    });
  }

  private async store(userId: string, provider: CalendarProvider, code: string, verifier: string) {
    const tokens = await provider.exchangeCode({
      code,
      codeVerifier: verifier,
      redirectUri: this.redirectUri(provider.id),
    });
    const accountEmail = await provider.fetchAccountEmail(tokens.accessToken);
    const aad = (field: "access_token" | "refresh_token") => connectionTokenAad(userId, provider.id, field);
    await saveCalendarConnection(this.db, {
      userId,
      provider: provider.id,
      accessToken: this.cipher.encrypt(tokens.accessToken, aad("access_token")),
      refreshToken: tokens.refreshToken
        ? this.cipher.encrypt(tokens.refreshToken, aad("refresh_token"))
        : null,
      expiresAt: tokens.expiresAt,
      accountEmail: accountEmail?.toLowerCase().slice(0, 255) ?? null,
      scope: tokens.scope,
    });
    this.deps.onConnectionChanged?.(userId);
  }
}
