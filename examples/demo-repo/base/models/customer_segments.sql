with customers as (
    select
        customer_id,
        lower(email) as email,
        segment,
        signup_date,
        updated_at,
        lifetime_value
    from raw.customers
),

ranked as (
    select
        customer_id,
        segment,
        lifetime_value,
        row_number() over (
            partition by segment
            order by lifetime_value desc
        ) as rank_in_segment
    from customers
)

select
    segment,
    count(*) as customers,
    sum(lifetime_value) as total_lifetime_value,
    max(case when rank_in_segment = 1 then customer_id end) as top_customer_id
from ranked
group by segment
