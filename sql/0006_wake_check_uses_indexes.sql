-- crm.wake_workers (0004) asks whether the queue is idle with two EXISTS probes, which the partial indexes
-- review_work_sweep_idx / review_work_claim_idx (and their customer_work twins) answer at once. PL/pgSQL
-- plans those probes the first time a session calls the function and keeps the plan: a session that starts
-- while the queue is empty (a fresh install, or after a VACUUM of an emptied queue) plans sequential scans
-- and keeps scanning the whole queue on every insert while it grows. Measured with 4 pgbench connections
-- inserting 20,000 reviews into an emptied queue: 1,500 inserts/s, and 3,600–4,600 with this setting.
-- Switching sequential scans off inside the function leaves the planner only the indexes.

SET LOCAL ROLE ondo_owner;

ALTER FUNCTION crm.wake_workers(text) SET enable_seqscan = off;
