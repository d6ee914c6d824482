-- A customer's state row is rewritten on every recompute (each review, order or scheduler pass of that
-- customer), and every rewrite of a row whose indexed columns changed adds an entry to each of its three
-- indexes. customer_state_state_idx held (state, churn_risk), and churn risk moves with nearly every review,
-- so no rewrite could be a heap-only (HOT) update. The index now holds the state alone: listing a state's
-- customers by risk sorts that state's rows instead of reading them in index order. Together with the
-- recheck time no longer moving later on each recompute (CustomerStateStore keeps an earlier recheck that
-- has not passed yet), a recompute that leaves the state as it was writes no index entry at all.
--
-- fillfactor 70 leaves room on each page for the new versions of its rows; it applies to pages written
-- from now on (a VACUUM FULL of crm.customer_state applies it to the old ones, if ever wanted).
--
-- Measured with benchmarks/pipeline.sh's inserts (20,000 reviews for 2,000 customers, four alternating
-- end-to-end runs each): WAL per review 2,663-2,706 bytes against 2,831-2,996 before, and Ondo's backends
-- 2.28-3.14 CPU-seconds against 2.39-3.29.

SET LOCAL ROLE ondo_owner;

ALTER TABLE crm.customer_state SET (fillfactor = 70);
DROP INDEX crm.customer_state_state_idx;
CREATE INDEX customer_state_state_idx ON crm.customer_state (state);
