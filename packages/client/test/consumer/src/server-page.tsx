// A server component: the options proxy over HTTP, prefetching, and hydration into client components.
import { createQueryClient, createServerApi, HydrateClient } from "@viewings/client/server";
import { cache } from "react";
import { UserEmail } from "./user-email.js";

export function serverApi(url: string, getToken: () => Promise<string | null>) {
  return createServerApi({ url, getToken, queryClient: cache(createQueryClient) });
}

export async function Page({ api }: { api: ReturnType<typeof serverApi> }) {
  const me = await api.getQueryClient().fetchQuery(api.trpc.users.me.queryOptions());
  api.prefetch(
    api.trpc.events.list.queryOptions({ from: "2030-01-07T00:00:00Z", to: "2030-01-08T00:00:00Z" }),
  );
  // @ts-expect-error a wrong output field
  void me.mail;
  return (
    <HydrateClient queryClient={api.getQueryClient()}>
      <h1>{me.firstName ?? me.email}</h1>
      <UserEmail />
    </HydrateClient>
  );
}
