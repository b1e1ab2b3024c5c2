"use client";
// A client component using the React integration.
import { useMutation, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { useTRPC } from "@viewings/client/react";

export function UserEmail() {
  const trpc = useTRPC();
  const { data: me } = useSuspenseQuery(trpc.users.me.queryOptions());
  return <p id="email">{me.email}</p>;
}

export function TimeZonePicker() {
  const trpc = useTRPC();
  const me = useQuery(trpc.users.me.queryOptions());
  const save = useMutation(trpc.users.updateSettings.mutationOptions());
  // @ts-expect-error a wrong input field
  useQuery(trpc.events.list.queryOptions({ from: "2030-01-07T00:00:00Z", until: "2030-01-08T00:00:00Z" }));
  // @ts-expect-error an unknown procedure
  useQuery(trpc.users.everyone.queryOptions());
  const zone: string | null | undefined = me.data?.timeZone;
  return (
    <button type="button" onClick={() => save.mutate({ timeZone: "Europe/Paris" })}>
      {zone ?? "default"}
    </button>
  );
}
