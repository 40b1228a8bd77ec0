select
    customer_id,
    email
from {{ source_schema }}.customers
