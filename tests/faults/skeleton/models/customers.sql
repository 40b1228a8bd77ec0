select
    customer_id,
    email
from raw.customers
