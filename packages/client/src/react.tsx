"use client";
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { TRPCClient } from "@trpc/client";
import { createTRPCContext, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@viewings/api/router";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { type ApiClientOptions, createApiClient } from "./index.js";
import { createQueryClient } from "./query-client.js";

export { createQueryClient };

const { TRPCProvider, ...context } = createTRPCContext<AppRouter>();

/** Query and mutation options for every procedure: `useQuery(useTRPC().users.me.queryOptions())`. */
export const useTRPC: () => TRPCOptionsProxy<AppRouter> = context.useTRPC;
/** The plain client, for imperative calls from event handlers. */
export const useTRPCClient: () => TRPCClient<AppRouter> = context.useTRPCClient;

export interface ApiProviderProps extends ApiClientOptions {
  /** Share one with the rest of the app; by default the provider makes its own. */
  queryClient?: QueryClient;
  children: ReactNode;
}

/** Wrap client components in it, passing Clerk's `useAuth().getToken`. */
export function ApiProvider({ queryClient, children, getToken, ...clientOptions }: ApiProviderProps) {
  // The client is made once; each request asks the getToken of the latest render.
  const latestGetToken = useRef(getToken);
  useEffect(() => {
    latestGetToken.current = getToken;
  }, [getToken]);
  const [ownQueryClient] = useState(() => queryClient ?? createQueryClient());
  const [trpcClient] = useState(() =>
    createApiClient({ ...clientOptions, getToken: () => latestGetToken.current() }),
  );
  return (
    <QueryClientProvider client={ownQueryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={ownQueryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
