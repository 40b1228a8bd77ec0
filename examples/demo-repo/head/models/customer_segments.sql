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
    avg(lifetime_value)as average_lifetime_value
from ranked
group by segment
