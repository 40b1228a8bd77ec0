select id
from raw.customers
