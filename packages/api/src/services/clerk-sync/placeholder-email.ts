/**
 * users.email is NOT NULL and unique, but a Clerk user may briefly have no address we can store: they
 * have none, or the address they claim is still held by another row whose newer profile says so. Such a
 * row gets an address of its own under the reserved .invalid TLD (RFC 2606), which can never be a real
 * mailbox nor collide with one; the user's next event restores the real address.
 */
export const placeholderDomain = "pending.invalid";

export function placeholderEmail(clerkUserId: string): string {
  // Lower-cased because a CHECK constraint requires stored emails to be lower case.
  return `${clerkUserId.toLowerCase()}@${placeholderDomain}`;
}
