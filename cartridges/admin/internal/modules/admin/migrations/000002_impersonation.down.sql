DROP TABLE IF EXISTS admin_bulk_jobs;
DROP TABLE IF EXISTS impersonation_opt_outs;
DROP TABLE IF EXISTS impersonation_policies;
DROP TABLE IF EXISTS impersonations;
