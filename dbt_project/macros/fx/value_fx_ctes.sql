{#- The `fx` and `fx_bounds` CTEs the two macros above read (write them among the import CTEs). -#}
{% macro value_fx_ctes() -%}
fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

fx_bounds as (

    select currency, max(rate_on) as last_rate_on
    from fx
    group by currency

)
{%- endmacro %}
