import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@viewings/api";

export type { RouterInputs, RouterOutputs } from "@viewings/api";
export type { AppRouter };

export interface ApiClientOptions {
  /** The server's tRPC endpoint, e.g. https://api.example.com/trpc */
  url: string;
  /** Returns the current Clerk session token (e.g. `useAuth().getToken`), or null when signed out. */
  getToken: () => Promise<string | null | undefined> | string | null | undefined;
  /** Custom fetch, e.g. for tests or server components. */
  fetch?: typeof fetch;
}

/** A typed tRPC client for the frontend; every call carries the Clerk session as a bearer token. */
export function createApiClient(options: ApiClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: options.url,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        async headers() {
          const token = await options.getToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Narrows an unknown error to a tRPC error from this API (code in `error.data?.code`). */
export function isApiError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}
