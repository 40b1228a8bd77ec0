-- The best customer of each segment, for the account managers' weekly call list.
select
    segment,
    top_customer_id,
    total_lifetime_value
from customer_segments
where customers > 0
