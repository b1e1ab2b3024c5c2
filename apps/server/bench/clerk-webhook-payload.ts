/**
 * A user.updated event shaped like the ones Clerk sends (about 2 KB: the fields this backend reads plus
 * the ones it ignores), for the seeded bench user number `n`.
 */
export function clerkUserUpdatedEvent(n: number, updatedAt: number): string {
  const id = `user_bench_${n}`;
  const emailId = `idn_bench_${n}`;
  return JSON.stringify({
    object: "event",
    type: "user.updated",
    instance_id: "ins_bench",
    timestamp: updatedAt,
    event_attributes: { http_request: { client_ip: "203.0.113.7", user_agent: "Mozilla/5.0 (bench)" } },
    data: {
      id,
      object: "user",
      username: null,
      first_name: "Bench",
      last_name: `User ${n} v${updatedAt % 1000}`,
      image_url: "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc19iZW5jaCJ9",
      has_image: false,
      primary_email_address_id: emailId,
      primary_phone_number_id: null,
      primary_web3_wallet_id: null,
      email_addresses: [
        {
          id: emailId,
          object: "email_address",
          email_address: `bench${n}@example.com`,
          reserved: false,
          linked_to: [],
          verification: { status: "verified", strategy: "email_code", attempts: 1, expire_at: updatedAt },
          created_at: 1_700_000_000_000,
          updated_at: updatedAt,
        },
      ],
      phone_numbers: [],
      web3_wallets: [],
      external_accounts: [],
      saml_accounts: [],
      passkeys: [],
      public_metadata: { plan: "landlord", properties: 3 },
      private_metadata: {},
      unsafe_metadata: { onboardingComplete: true },
      password_enabled: true,
      two_factor_enabled: false,
      totp_enabled: false,
      backup_code_enabled: false,
      banned: false,
      locked: false,
      delete_self_enabled: true,
      create_organization_enabled: true,
      last_sign_in_at: updatedAt - 60_000,
      last_active_at: updatedAt - 60_000,
      external_id: null,
      legal_accepted_at: null,
      created_at: 1_700_000_000_000,
      updated_at: updatedAt,
    },
  });
}
