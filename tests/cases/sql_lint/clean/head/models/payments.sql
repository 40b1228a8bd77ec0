select
    payment_id,
    payload ->> 'method' as payment_method
from raw.payments
