-- The report views' "last 30 days" counted every review written after now() - 30 days, so a review dated ahead of
-- the database's clock (the shop contract accepts times up to year 10,000; an old row may hold 'infinity') counted as
-- recent for as long as its date lay ahead: a review dated a year ahead made its product's
-- negative_rate_last_30_days 1.0 for that whole year. The state rules count such a review only once its time comes
-- (up to 5 minutes ahead counts at once: CustomerFactsQuery.clockSkewTolerance); the two 30-day columns now do the
-- same. The 30-to-90-days-ago window already ended 30 days ago. Same columns; only views are replaced (no table is
-- locked).

SET LOCAL ROLE ondo_owner;

CREATE OR REPLACE VIEW report.product_complaints AS
SELECT s.product_id, aspect, count(*) AS negative_reviews,
       count(*) FILTER (WHERE s.written_at > now() - interval '30 days'
                          AND s.written_at <= now() + interval '5 minutes') AS negative_reviews_last_30_days
FROM report.review_scores AS s, unnest(s.aspects) AS aspect
WHERE s.label = 'negative'
GROUP BY s.product_id, aspect;
COMMENT ON VIEW report.product_complaints IS 'How often negative reviews of each product name each complaint aspect.';

CREATE OR REPLACE VIEW report.product_insight AS
SELECT p.id AS product_id, p.sku, p.name, p.category,
       coalesce(counted.reviews, 0) AS reviews,
       coalesce(counted.negative_reviews, 0) AS negative_reviews,
       counted.negative_rate, counted.negative_rate_last_30_days, counted.negative_rate_30_to_90_days_ago,
       counted.average_rating,
       top.top_complaints
FROM shop.products AS p
LEFT JOIN (
    SELECT s.product_id,
           count(s.review_id) AS reviews,
           count(s.review_id) FILTER (WHERE s.label = 'negative') AS negative_reviews,
           round(count(s.review_id) FILTER (WHERE s.label = 'negative')::numeric / nullif(count(s.review_id), 0), 4)
               AS negative_rate,
           round(count(s.review_id) FILTER (WHERE s.label = 'negative' AND s.written_at > now() - interval '30 days'
                                              AND s.written_at <= now() + interval '5 minutes')::numeric
                 / nullif(count(s.review_id) FILTER (WHERE s.written_at > now() - interval '30 days'
                                                     AND s.written_at <= now() + interval '5 minutes'), 0), 4)
               AS negative_rate_last_30_days,
           round(count(s.review_id) FILTER (WHERE s.label = 'negative' AND s.written_at <= now() - interval '30 days'
                                              AND s.written_at > now() - interval '90 days')::numeric
                 / nullif(count(s.review_id) FILTER (WHERE s.written_at <= now() - interval '30 days'
                                                     AND s.written_at > now() - interval '90 days'), 0), 4)
               AS negative_rate_30_to_90_days_ago,
           round(avg(s.rating)::numeric, 2) AS average_rating
    FROM report.review_scores AS s
    GROUP BY s.product_id
) AS counted ON counted.product_id = p.id
LEFT JOIN (
    SELECT ranked.product_id, array_agg(ranked.aspect ORDER BY ranked.negative_reviews DESC, ranked.aspect) AS top_complaints
    FROM (SELECT pc.product_id, pc.aspect, pc.negative_reviews,
                 row_number() OVER (PARTITION BY pc.product_id ORDER BY pc.negative_reviews DESC, pc.aspect) AS place
          FROM report.product_complaints AS pc) AS ranked
    WHERE ranked.place <= 3
    GROUP BY ranked.product_id
) AS top ON top.product_id = p.id;
COMMENT ON VIEW report.product_insight IS
    'Per product: reviews, negative rate overall, in the last 30 days and the 60 days before (the trend), top complaints.';
