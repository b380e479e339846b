DROP TABLE IF EXISTS billing_invoice_adjustments;
DROP TABLE IF EXISTS billing_invoice_transitions;
DROP TABLE IF EXISTS billing_invoice_lines;
DROP TABLE IF EXISTS billing_invoices;
DROP TABLE IF EXISTS billing_invoice_counters;
