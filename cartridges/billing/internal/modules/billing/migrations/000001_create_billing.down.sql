DROP TABLE IF EXISTS billing_subscriptions;
DROP TABLE IF EXISTS billing_usage_aggregates;
DROP TABLE IF EXISTS billing_usage_events;
DROP TABLE IF EXISTS billing_prices;
DROP TABLE IF EXISTS billing_plans;
DROP TABLE IF EXISTS billing_meters;
