-- Hand-written (Prisma cannot express functions; its diff ignores them, so they cause no drift).
--
-- One Svix delivery from Clerk applied in one statement, i.e. one database round trip and one
-- transaction: the svix-id claim, the per-user lock, the tombstone and ordering checks, the email rule
-- and the write. It implements the rules of packages/api/src/services/clerk-sync/apply-event.ts, which
-- stay the specification (apps/server/test/clerk-apply-delivery-parity.test.ts compares the two on
-- sequences of events). Returns outcome NULL when the svix-id was already claimed (a duplicate).
CREATE FUNCTION clerk_apply_delivery(
    p_svix_id VARCHAR,
    p_event_type VARCHAR,
    -- 'profile' (user.created / user.updated), 'deletion' (user.deleted) or 'other'.
    p_kind TEXT,
    p_clerk_user_id VARCHAR,
    p_event_timestamp TIMESTAMPTZ,
    -- Profile events: the primary address (lower-cased) or NULL when there is none.
    p_email VARCHAR,
    p_first_name VARCHAR,
    p_last_name VARCHAR,
    p_created_at TIMESTAMPTZ,
    p_clerk_updated_at TIMESTAMPTZ,
    -- Deletion events: the deletion's time recorded in the tombstone.
    p_deleted_at TIMESTAMPTZ,
    -- The reserved domain of placeholder addresses (see placeholder-email.ts).
    p_placeholder_domain TEXT,
    OUT outcome TEXT,
    OUT detail TEXT
)
LANGUAGE plpgsql
-- Svix wants an answer within 15 s: a delivery waiting for a concurrent one (same svix-id or user)
-- gives up after this and is retried, as the previous transaction timeout did.
SET lock_timeout = '10s'
AS $$
DECLARE
    current_row users%ROWTYPE;
    has_row BOOLEAN;
    holder VARCHAR;
    address VARCHAR;
    note TEXT;
BEGIN
    INSERT INTO clerk_webhook_events (svix_id, event_type, clerk_user_id, event_timestamp, outcome)
    VALUES (p_svix_id, p_event_type, p_clerk_user_id, p_event_timestamp, 'processing')
    ON CONFLICT (svix_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN;
    END IF;

    IF p_kind = 'other' THEN
        outcome := 'ignored';
        detail := 'event type ' || p_event_type || ' is not handled';
    ELSIF p_kind = 'deletion' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('clerk-user:' || p_clerk_user_id, 0));
        -- The first deletion's timestamp is kept when Clerk's deletion is delivered again.
        INSERT INTO deleted_clerk_users (clerk_user_id, deleted_at) VALUES (p_clerk_user_id, p_deleted_at)
        ON CONFLICT (clerk_user_id) DO NOTHING;
        DELETE FROM users WHERE clerk_user_id = p_clerk_user_id;
        outcome := 'deleted';
        detail := CASE WHEN FOUND THEN 'user removed' ELSE 'no row to remove; tombstone recorded' END;
    ELSE
        PERFORM pg_advisory_xact_lock(hashtextextended('clerk-user:' || p_clerk_user_id, 0));
        SELECT * INTO current_row FROM users WHERE clerk_user_id = p_clerk_user_id;
        has_row := FOUND;
        IF NOT has_row AND EXISTS (SELECT 1 FROM deleted_clerk_users WHERE clerk_user_id = p_clerk_user_id) THEN
            outcome := 'user_deleted';
            detail := 'the user was deleted; a late event cannot bring them back';
        ELSIF has_row AND current_row.clerk_updated_at > p_clerk_updated_at THEN
            outcome := 'stale';
            detail := 'stored profile ' || to_char(current_row.clerk_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                || ' is newer than ' || to_char(p_clerk_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        ELSE
            -- The email rule (resolveEmail): the newer profile keeps a contested address.
            IF p_email IS NULL THEN
                address := lower(p_clerk_user_id) || '@' || p_placeholder_domain;
                note := 'no primary email address; placeholder stored';
            ELSIF has_row AND p_email = current_row.email THEN
                address := p_email;
            ELSE
                SELECT clerk_user_id INTO holder FROM users WHERE email = p_email;
                IF holder IS NULL OR holder = p_clerk_user_id THEN
                    address := p_email;
                ELSE
                    UPDATE users SET email = lower(holder) || '@' || p_placeholder_domain, updated_at = now()
                    WHERE clerk_user_id = holder AND email = p_email
                      AND (clerk_updated_at IS NULL OR clerk_updated_at < p_clerk_updated_at);
                    IF FOUND THEN
                        address := p_email;
                        note := 'address taken over from ' || holder || ' (older profile)';
                    ELSE
                        address := lower(p_clerk_user_id) || '@' || p_placeholder_domain;
                        note := 'address held by ' || holder || ' with a newer profile; placeholder stored until a later event';
                    END IF;
                END IF;
            END IF;
            INSERT INTO users (clerk_user_id, email, first_name, last_name, created_at, clerk_updated_at, updated_at)
            VALUES (p_clerk_user_id, address, p_first_name, p_last_name, p_created_at, p_clerk_updated_at, now())
            ON CONFLICT (clerk_user_id) DO UPDATE SET
                email = EXCLUDED.email,
                first_name = EXCLUDED.first_name,
                last_name = EXCLUDED.last_name,
                created_at = EXCLUDED.created_at,
                clerk_updated_at = EXCLUDED.clerk_updated_at,
                updated_at = EXCLUDED.updated_at;
            outcome := 'applied';
            detail := CASE WHEN has_row THEN 'updated' ELSE 'created' END || COALESCE('; ' || note, '');
        END IF;
    END IF;

    UPDATE clerk_webhook_events SET outcome = clerk_apply_delivery.outcome, detail = clerk_apply_delivery.detail
    WHERE svix_id = p_svix_id;
END;
$$;
