"""A dbt project in the shape of jaffle-shop: staging and marts models, a project macro dispatched by
adapter (`cents_to_dollars`), an installed package (`dbt_packages/dbt_utils`) whose macro calls dbt's own
cross-database macros, schema.yml, a profile and a .sqlfluff naming the dbt templater (as real projects do).

`FILES` renders with dbt's context except `models/marts/broken.sql`, which calls a package that is not
installed. Shared by the dbt, sql-lint and lineage tests.
"""

from __future__ import annotations

DBT_PROJECT = """\
name: jaffle_shop
version: "1.0.0"
config-version: 2
profile: jaffle_shop
model-paths: ["models"]
macro-paths: ["macros"]
vars:
  start_date: "2020-01-01"
models:
  jaffle_shop:
    staging:
      +materialized: view
"""

PROFILES = """\
jaffle_shop:
  target: dev
  outputs:
    dev:
      type: postgres
      host: localhost
      user: jaffle
      password: "{{ env_var('JAFFLE_PASSWORD') }}"
      port: 5432
      dbname: jaffle
      schema: dev
"""

SQLFLUFF = """\
[sqlfluff]
templater = dbt
dialect = postgres
max_line_length = 100

[sqlfluff:templater:dbt]
project_dir = .
"""

CENTS_TO_DOLLARS = """\
{% macro cents_to_dollars(column_name) -%}
    {{ return(adapter.dispatch('cents_to_dollars')(column_name)) }}
{%- endmacro %}

{% macro default__cents_to_dollars(column_name) -%}
    ({{ column_name }} / 100)::numeric(16, 2)
{%- endmacro %}

{% macro postgres__cents_to_dollars(column_name) -%}
    ({{ column_name }}::numeric(16, 2) / 100)
{%- endmacro %}
"""

SURROGATE_KEY = """\
{%- macro generate_surrogate_key(field_list) -%}
    {{ return(adapter.dispatch('generate_surrogate_key', 'dbt_utils')(field_list)) }}
{% endmacro %}

{%- macro default__generate_surrogate_key(field_list) -%}
{%- set fields = [] -%}
{%- for field in field_list -%}
    {%- do fields.append(
        "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '_dbt_utils_surrogate_key_null_')"
    ) -%}
    {%- if not loop.last %}
        {%- do fields.append("'-'") -%}
    {%- endif -%}
{%- endfor -%}
{{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro -%}
"""

UTILS_TEST = """\
{% test not_empty_string(model, column_name) %}
  {{ return(adapter.dispatch('test_not_empty_string', 'dbt_utils')(model, column_name)) }}
{% endtest %}

{% macro default__test_not_empty_string(model, column_name) %}
select * from {{ model }} where {{ column_name }} = ''
{% endmacro %}
"""

STG_ORDERS = """\
with

source as (

    select * from {{ source('ecom', 'raw_orders') }}

),

renamed as (

    select
        id as order_id,
        customer as customer_id,
        subtotal as subtotal_cents,
        {{ cents_to_dollars('subtotal') }} as subtotal,
        {{ cents_to_dollars('order_total') }} as order_total,
        {{ dbt.date_trunc('day', 'ordered_at') }} as ordered_at

    from source

)

select * from renamed
"""

STG_CUSTOMERS = """\
with source as (
    select * from {{ source('ecom', 'raw_customers') }}
),

renamed as (
    select
        id as customer_id,
        name as customer_name
    from source
)

SELECT * from renamed
"""

ORDERS = """\
{{ config(materialized='incremental', unique_key='order_key') }}

with orders as (
    select * from {{ ref('stg_orders') }}
    {% if is_incremental() %}
    where ordered_at > (select max(ordered_at) from {{ this }})
    {% endif %}
)

select
    {{ dbt_utils.generate_surrogate_key(['order_id', 'customer_id']) }} as order_key,
    orders.order_id,
    orders.customer_id,
    orders.order_total
from orders
where orders.ordered_at >= '{{ var("start_date") }}'
"""

CUSTOMERS = """\
with customers as (
    select * from {{ ref('stg_customers') }}
),

orders as (
    select * from {{ ref('orders') }}
)

select
    customers.customer_id,
    customers.customer_name,
    count(orders.order_id) AS order_count
from customers
left join orders on customers.customer_id = orders.customer_id
group by 1, 2
"""

BROKEN = """\
select
    {{ audit_helper.compare_columns('a', 'b') }} as diff
from {{ ref('orders') }}
"""

SCHEMA_YML = """\
version: 2
sources:
  - name: ecom
    tables:
      - name: raw_orders
      - name: raw_customers
models:
  - name: orders
    columns:
      - name: order_key
        tests: [unique, not_null]
"""

FILES = {
    "dbt_project.yml": DBT_PROJECT,
    "profiles.yml": PROFILES,
    ".sqlfluff": SQLFLUFF,
    "macros/cents_to_dollars.sql": CENTS_TO_DOLLARS,
    "dbt_packages/dbt_utils/dbt_project.yml": "name: dbt_utils\nconfig-version: 2\nmacro-paths: [macros]\n",
    "dbt_packages/dbt_utils/macros/sql/generate_surrogate_key.sql": SURROGATE_KEY,
    "dbt_packages/dbt_utils/macros/generic_tests/not_empty_string.sql": UTILS_TEST,
    "models/staging/stg_orders.sql": STG_ORDERS,
    "models/staging/stg_customers.sql": STG_CUSTOMERS,
    "models/marts/orders.sql": ORDERS,
    "models/marts/customers.sql": CUSTOMERS,
    "models/marts/broken.sql": BROKEN,
    "models/schema.yml": SCHEMA_YML,
}
MODELS = sorted(p for p in FILES if p.startswith("models/") and p.endswith(".sql"))
