select
    c.id,
    c.email
from customers as c
