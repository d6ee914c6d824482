-- report.product_insight computed each product's top complaints with a correlated subquery over
-- report.product_complaints, whose report.review_scores (DISTINCT ON review_id over every score row) cannot be
-- filtered by product before the DISTINCT ON: the planner rebuilt every review's current score once per product
-- (500 products and 2,000,000 reviews: 500 sorts of the whole score table). The top three complaints are now
-- ranked for all products in one pass and joined. Same columns, same values.

SET LOCAL ROLE ondo_owner;

CREATE OR REPLACE VIEW report.product_insight AS
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
       top.top_complaints
FROM shop.products AS p
LEFT JOIN report.review_scores AS s ON s.product_id = p.id
LEFT JOIN (
    SELECT ranked.product_id, array_agg(ranked.aspect ORDER BY ranked.negative_reviews DESC, ranked.aspect) AS top_complaints
    FROM (SELECT pc.product_id, pc.aspect, pc.negative_reviews,
                 row_number() OVER (PARTITION BY pc.product_id ORDER BY pc.negative_reviews DESC, pc.aspect) AS place
          FROM report.product_complaints AS pc) AS ranked
    WHERE ranked.place <= 3
    GROUP BY ranked.product_id
) AS top ON top.product_id = p.id
GROUP BY p.id, p.sku, p.name, p.category, top.top_complaints;
COMMENT ON VIEW report.product_insight IS
    'Per product: reviews, negative rate overall, in the last 30 days and the 60 days before (the trend), top complaints.';
