DROP TABLE IF EXISTS billing_stripe_watermarks;
DROP TABLE IF EXISTS billing_stripe_events;
DROP TABLE IF EXISTS billing_stripe_customers;
