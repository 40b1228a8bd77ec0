select
    customer_id
from {{ warehouse_schema }}.customers
