# The small shop the pipeline benchmarks insert into, its orders, their review INSERT and the reset between their
# phases (sourced, not run; needs psql and a migrated database, as after benchmarks/lib/cluster.sh's cluster_start
# and `ondo migrate`).

# 2,000 customers who signed up 200 days ago and 200 products.
seed_customers_and_products() {
  psql -qX -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO shop.customers (id, name, created_at)
SELECT id, 'customer ' || id, now() - interval '200 days' FROM generate_series(1, 2000) AS id;
INSERT INTO shop.products (id, sku, name, category, price)
SELECT id, 'SKU-' || id, 'product ' || id, 'clothing', 30000 FROM generate_series(1, 200) AS id;
SQL
}

# A pgbench script of one review per transaction into FILE: realistic Korean text (hand-written samples), a random
# customer and product of seed_customers_and_products's.
write_review_insert_script() {
  cat > "$1" <<'SQL'
\set c random(1, 2000)
\set p random(1, 200)
\set t random(1, 8)
INSERT INTO shop.reviews (customer_id, product_id, rating, body) VALUES (:c, :p, 1 + :t % 5,
  (ARRAY['배송이 너무 늦고 포장도 엉망이에요', '재구매 의사 있어요 최고', '사이즈도 딱 맞고 색상도 예뻐요',
         '재질이 얇고 마감이 별로예요 실망입니다', '가격 대비 품질 좋네요 잘 쓸게요', '불량품이 와서 교환했어요 응대가 느려요',
         '선물했는데 다들 좋아해요 추천합니다', '냄새가 심하고 사진이랑 달라요'])[:t]);
SQL
}

# 4,000 delivered orders of seed_customers_and_products's customers, spread over the last 90 days.
seed_orders() {
  psql -qX -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO shop.orders (customer_id, ordered_at, total, status)
SELECT 1 + id % 2000, now() - (id % 90) * interval '1 day', 30000, 'delivered' FROM generate_series(1, 4000) AS id;
SQL
}

# Empties the shop's reviews and everything Ondo derived from them (the customers, products and orders stay), then
# VACUUM ANALYZE: each phase of a pipeline benchmark starts from the same tables.
reset_pipeline_tables() {
  psql -qX -c "TRUNCATE shop.reviews, crm.review_work, crm.review_sentiment, crm.review_quarantine, crm.customer_state, crm.customer_state_history, crm.customer_work" >/dev/null
  psql -qX -c "VACUUM ANALYZE" >/dev/null
}
