-- The lease sweeper's catch-up (QuarantineCatchUp in CRMStore) looks, on every sweep of every `ondo serve`,
-- for reviews quarantined as unknown_customer or unknown_product. Without an index it read the whole
-- quarantine, which mostly holds reviews with an empty body that stay there for good: with 300,000 of them
-- one sweep took 507 ms, 283 ms of it compiling the scan (its cost estimate passed jit_above_cost), so every
-- process spent about a tenth of a core on it. This index holds only the rows the catch-up can re-queue.
--
-- Building it reads crm.review_quarantine once while holding off writes to it (Ondo's quarantining and
-- scoring of reviews wait; the shop's inserts do not).

SET LOCAL ROLE ondo_owner;

CREATE INDEX review_quarantine_unknown_reference_idx ON crm.review_quarantine (review_id)
    WHERE reason IN ('unknown_customer', 'unknown_product');
