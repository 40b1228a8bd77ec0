select
    customer_id,
    email
from raw.customers
where customer_id = 42
