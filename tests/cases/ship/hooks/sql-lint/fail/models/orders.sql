select
    order_id,
    customer_id,
    amount*100 AS amount_cents
from raw.orders
