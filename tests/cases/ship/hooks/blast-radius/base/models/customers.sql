select
    id,
    lower(email) as email
from raw.customers
