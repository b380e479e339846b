DROP TRIGGER IF EXISTS sessions_announce_ended ON sessions;
DROP FUNCTION IF EXISTS identity_announce_ended_session();
