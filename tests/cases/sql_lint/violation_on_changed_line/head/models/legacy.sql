SELECT
    order_id,
    customer_id,
    amount*100 as amount_cents
from raw.orders
