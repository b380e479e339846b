DROP POLICY owner_reads_directory ON tenants;
