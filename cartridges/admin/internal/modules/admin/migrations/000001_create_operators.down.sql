DROP POLICY IF EXISTS operator_directory ON tenants;
DROP TABLE IF EXISTS operator_audit;
DROP FUNCTION IF EXISTS operator_audit_append_only();
DROP TABLE IF EXISTS operator_sessions;
DROP TABLE IF EXISTS operators;
