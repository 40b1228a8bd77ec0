select
    id,
    lower(trim(email)) as email,
    signup_date
from raw.customers
