-- report.review_scores shows each review's newest score only, but a cheap function of the reader's own (ondo_report
-- may create one in pg_temp, as every connecting role may) in a WHERE clause was evaluated before the view's
-- filter, on every score row: it saw a review's older scores (another model's probability and label, or the same
-- model's before a re-score). security_barrier makes the view's own filter and joins run first, as 0023 did for the two views of failed work. A reader's condition on the view's
-- columns with built-in comparisons (customer_id = 4242, label = 'negative', written_at > …) is leakproof and still
-- reaches the indexes (2.0-2.1 ms with and without the barrier, 200,000 reviews with 300,000 scores); a join into
-- the view from another table is not pushed into it and reads every score (0.95-1.0 ms before, 170-184 ms after).
--
-- The other report views need no barrier: customer_states, state_summary, state_transitions, review_pipeline and
-- quarantined_reviews filter no row out of their tables; product_complaints, product_insight and category_insight
-- read review_scores (whose barrier now holds under them) and drop only rows another report view shows anyway
-- (a positive score's aspects, a product's fourth complaint) or only aggregate.

SET LOCAL ROLE ondo_owner;

ALTER VIEW report.review_scores SET (security_barrier = true);
