-- Views for analysts and BI tools: the only thing ondo_report can read (granted by the default privileges of
-- 0001). They run with their owner's rights, so the report role needs no access to shop or crm tables.
-- Review texts and customers' contact fields are deliberately left out.

SET LOCAL ROLE ondo_owner;

-- The current score of each review (the latest model's, when a review was scored by several).
CREATE VIEW report.review_scores AS
SELECT DISTINCT ON (s.review_id)
       s.review_id, s.customer_id, s.product_id, p.category, r.rating, r.created_at AS written_at,
       s.probability, s.label, s.aspects, s.model_version, s.scored_at
FROM crm.review_sentiment AS s
JOIN shop.reviews AS r ON r.id = s.review_id
LEFT JOIN shop.products AS p ON p.id = s.product_id
ORDER BY s.review_id, s.scored_at DESC;
COMMENT ON VIEW report.review_scores IS 'Each scored review: probability positive, label, complaint aspects.';

CREATE VIEW report.customer_states AS
SELECT customer_id, state, churn_risk, sentiment_score, state_since, updated_at,
       reasons -> 0 ->> 'code' AS main_reason, reasons
FROM crm.customer_state;
COMMENT ON VIEW report.customer_states IS 'Each customer''s current state, churn risk and machine-readable reasons.';

CREATE VIEW report.state_summary AS
SELECT state, count(*) AS customers, round(avg(churn_risk)::numeric, 4) AS average_churn_risk,
       round(avg(sentiment_score)::numeric, 4) AS average_sentiment
FROM crm.customer_state
GROUP BY state;
COMMENT ON VIEW report.state_summary IS 'Customers per state with their average churn risk and sentiment.';

CREATE VIEW report.state_transitions AS
SELECT customer_id, from_state, to_state, churn_risk, cause, cause_id, changed_at,
       reasons -> 0 ->> 'code' AS main_reason, reasons
FROM crm.customer_state_history;
COMMENT ON VIEW report.state_transitions IS 'Every state change with its cause (review, order, signup, scheduler, recompute).';

-- Complaint aspects of negative reviews, per product.
CREATE VIEW report.product_complaints AS
SELECT s.product_id, aspect, count(*) AS negative_reviews,
       count(*) FILTER (WHERE s.written_at > now() - interval '30 days') AS negative_reviews_last_30_days
FROM report.review_scores AS s, unnest(s.aspects) AS aspect
WHERE s.label = 'negative'
GROUP BY s.product_id, aspect;
COMMENT ON VIEW report.product_complaints IS 'How often negative reviews of each product name each complaint aspect.';

CREATE VIEW report.product_insight AS
SELECT p.id AS product_id, p.sku, p.name, p.category,
       count(s.review_id) AS reviews,
       count(s.review_id) FILTER (WHERE s.label = 'negative') AS negative_reviews,
       round(count(s.review_id) FILTER (WHERE s.label = 'negative')::numeric / nullif(count(s.review_id), 0), 4)
           AS negative_rate,
       round(count(s.review_id) FILTER (WHERE s.label = 'negative' AND s.written_at > now() - interval '30 days')::numeric
             / nullif(count(s.review_id) FILTER (WHERE s.written_at > now() - interval '30 days'), 0), 4)
           AS negative_rate_last_30_days,
       round(count(s.review_id) FILTER (WHERE s.label = 'negative' AND s.written_at <= now() - interval '30 days'
                                          AND s.written_at > now() - interval '90 days')::numeric
             / nullif(count(s.review_id) FILTER (WHERE s.written_at <= now() - interval '30 days'
                                                 AND s.written_at > now() - interval '90 days'), 0), 4)
           AS negative_rate_30_to_90_days_ago,
       round(avg(s.rating)::numeric, 2) AS average_rating,
       (SELECT array_agg(c.aspect ORDER BY c.negative_reviews DESC, c.aspect)
        FROM (SELECT aspect, negative_reviews FROM report.product_complaints AS pc
              WHERE pc.product_id = p.id ORDER BY negative_reviews DESC, aspect LIMIT 3) AS c) AS top_complaints
FROM shop.products AS p
LEFT JOIN report.review_scores AS s ON s.product_id = p.id
GROUP BY p.id, p.sku, p.name, p.category;
COMMENT ON VIEW report.product_insight IS
    'Per product: reviews, negative rate overall, in the last 30 days and the 60 days before (the trend), top complaints.';

CREATE VIEW report.category_insight AS
SELECT coalesce(p.category, '(none)') AS category,
       count(s.review_id) AS reviews,
       count(s.review_id) FILTER (WHERE s.label = 'negative') AS negative_reviews,
       round(count(s.review_id) FILTER (WHERE s.label = 'negative')::numeric / nullif(count(s.review_id), 0), 4)
           AS negative_rate
FROM report.review_scores AS s
LEFT JOIN shop.products AS p ON p.id = s.product_id
GROUP BY 1;
COMMENT ON VIEW report.category_insight IS 'Negative-review rate per product category.';

CREATE VIEW report.review_pipeline AS
SELECT status, count(*) AS reviews, min(enqueued_at) AS oldest_enqueued_at, max(attempts) AS most_attempts
FROM crm.review_work
GROUP BY status;
COMMENT ON VIEW report.review_pipeline IS 'Review work rows per status (pending, processing, completed, discarded).';

CREATE VIEW report.discarded_reviews AS
SELECT review_id, customer_id, attempts, last_error, updated_at AS discarded_at
FROM crm.review_work
WHERE status = 'discarded';
COMMENT ON VIEW report.discarded_reviews IS 'Reviews given up after their last attempt, with the error; ondo reviews retry re-queues them.';

CREATE VIEW report.quarantined_reviews AS
SELECT review_id, customer_id, product_id, reason, detail, quarantined_at
FROM crm.review_quarantine;
COMMENT ON VIEW report.quarantined_reviews IS 'Reviews set aside unscored: empty body, unknown customer or product.';
