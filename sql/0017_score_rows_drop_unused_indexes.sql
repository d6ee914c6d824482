-- A score row's copies of its review's customer and product are no longer read through an index: the facts
-- query, `ondo customer show` and the report views (since 0010) reach scores by review_id from the shop's own
-- reviews, whose customer and product are current. The two indexes cost every scored review two index entries;
-- in three alternating end-to-end runs of the pipeline benchmark's 20,000 reviews, dropping them took the WAL
-- written per review from 2,669–2,673 to 2,529–2,570 bytes.

SET LOCAL ROLE ondo_owner;

DROP INDEX crm.review_sentiment_customer_idx;
DROP INDEX crm.review_sentiment_product_idx;
