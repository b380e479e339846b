-- Every instance of the api caches session checks for a while
-- (SESSION_CACHE_TTL) and listens on identity_session_ended to drop a
-- session as soon as it ends: revoked, cut short or deleted (directly or by
-- cascade), by whatever code or statement. The payload is the session id;
-- NOTIFY is delivered when the transaction commits, and not at all if it
-- rolls back.
CREATE FUNCTION identity_announce_ended_session() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
        OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
        OR NEW.expires_at < OLD.expires_at
        OR NEW.user_id <> OLD.user_id THEN
        PERFORM pg_notify('identity_session_ended', OLD.id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_announce_ended
    AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION identity_announce_ended_session();
