-- Maintenance commands (`ctl purge`, `ctl erase-user`) must visit every
-- tenant, and row-level security hides the list of tenants from every role
-- that has not named one. This lets the role that runs the migrations, the
-- owner of the tables, read the tenants table only; it could switch row-level
-- security off anyway, so it gains nothing it did not have. The runtime role
-- stays bound: it is never the owner (the api refuses to start as it), and the
-- ctl does every change to tenant rows as the runtime role inside tenancy.Tx.
CREATE POLICY owner_reads_directory ON tenants FOR SELECT TO CURRENT_USER USING (true);
