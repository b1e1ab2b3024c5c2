// Plain client: queries, mutations, the router's output types and typed errors.
import {
  createApiClient,
  type Event,
  isApiError,
  type RouterInputs,
  type RouterOutputs,
  type User,
} from "@viewings/client";

const api = createApiClient({ url: "http://localhost:3000/trpc", getToken: async () => "token" });
const range = { from: "2030-01-07T00:00:00+01:00", to: "2030-01-08T00:00:00+01:00" };

export async function typedCalls(): Promise<string[]> {
  const me: User = await api.users.me.query();
  const listing = await api.events.list.query({ ...range, timeZone: "Europe/Paris" });
  const first: Event | undefined = listing.events[0];
  const slots: RouterOutputs["events"]["availability"] = await api.events.availability.query({
    ...range,
    durationMinutes: 30,
  });
  const updated: RouterOutputs["users"]["updateSettings"] = await api.users.updateSettings.mutate({
    timeZone: "Europe/Paris",
  });
  const booking: RouterInputs["events"]["create"] = { title: "Viewing", start: range.from, end: range.to };
  await api.events.create.mutate(booking);

  // @ts-expect-error a wrong input field (`until` is not `to`)
  await api.events.list.query({ from: range.from, until: range.to });
  // @ts-expect-error an unknown procedure
  await api.users.deleteEverything.query();
  // @ts-expect-error a wrong output field (the user has `email`)
  void me.emailAddress;

  return [me.email, first?.title ?? "", slots.timeZone, updated.timeZone ?? ""];
}

/** Error handling by code, and the invalid fields by name. */
export async function saveTimeZone(timeZone: string): Promise<string> {
  try {
    await api.users.updateSettings.mutate({ timeZone });
    return "saved";
  } catch (error) {
    if (!isApiError(error)) throw error;
    const fieldErrors: string[] | undefined = error.data?.zodError?.fieldErrors.timeZone;
    if (error.data?.code === "BAD_REQUEST") return fieldErrors?.join(", ") ?? error.message;
    if (error.data?.code === "UNAUTHORIZED") return "sign in again";
    return error.message;
  }
}
