select
    order_id
from raw.orders
where order_id in (
