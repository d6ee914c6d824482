-- Values the shop contract let through although they are plainly invalid (RELIABILITY.md B3), which Ondo then
-- had to isolate (see the README's "Invalid versus unusable data"):
--   * 'NaN' in a money column: numeric NaN sorts above every number, so CHECK (total >= 0) accepted it;
--   * timestamps before year 1900 (including BC dates, which no reader of the shop's data expects) or at or
--     after year 10000, and 'infinity' / '-infinity'.
-- Each now fails the shop's statement with SQLSTATE 23514 and a named constraint.
--
-- The constraints are added NOT VALID: they hold for every row written from now on, and rows already in the
-- tables are not read (adding them takes only a brief lock, whatever the tables' size, and a shop with an old
-- bad row is not stopped from upgrading). Ondo still isolates such old rows. To check them too, when it suits,
-- run for example `ALTER TABLE shop.orders VALIDATE CONSTRAINT orders_total_is_number;` as the owner (it reads
-- the table without holding off writes, and names the constraint if a row breaks it).

SET LOCAL ROLE ondo_owner;

ALTER TABLE shop.products ADD CONSTRAINT products_price_is_number CHECK (price <> 'NaN') NOT VALID;
ALTER TABLE shop.orders ADD CONSTRAINT orders_total_is_number CHECK (total <> 'NaN') NOT VALID;
ALTER TABLE shop.order_items ADD CONSTRAINT order_items_unit_price_is_number CHECK (unit_price <> 'NaN') NOT VALID;

ALTER TABLE shop.customers ADD CONSTRAINT customers_created_at_plausible
    CHECK (created_at >= '1900-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00') NOT VALID;
ALTER TABLE shop.products ADD CONSTRAINT products_created_at_plausible
    CHECK (created_at >= '1900-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00') NOT VALID;
ALTER TABLE shop.orders ADD CONSTRAINT orders_ordered_at_plausible
    CHECK (ordered_at >= '1900-01-01 00:00:00+00' AND ordered_at < '10000-01-01 00:00:00+00') NOT VALID;
ALTER TABLE shop.reviews ADD CONSTRAINT reviews_created_at_plausible
    CHECK (created_at >= '1900-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00') NOT VALID;
