DROP TABLE memberships;
DROP TABLE users;
