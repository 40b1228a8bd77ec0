select
    event_id,
    payload ->> 'kind' as event_kind
from raw.events
