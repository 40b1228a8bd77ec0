select
    customer_id,
    segment
from {{ schema }}.customers
