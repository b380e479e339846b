DROP TABLE user_identities;
DROP TABLE invitations;
DROP TABLE user_tokens;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
