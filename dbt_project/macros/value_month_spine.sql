{#-
  Months (first days) from first_month to last_month inclusive, as a portable select:
  a cross join of digits (0..999 months), no generate_series / unnest. Both arguments are SQL
  expressions returning a date on the first of a month (scalar subqueries are fine).
-#}
{% macro value_month_spine(first_month, last_month) -%}
    select
        cast({{ dbt.dateadd('month', 'spine_offsets.month_offset', first_month) }} as date) as month_start_on
    from (
        select units.digit + 10 * tens.digit + 100 * hundreds.digit as month_offset
        from {{ value_digits() }} as units
        cross join {{ value_digits() }} as tens
        cross join {{ value_digits() }} as hundreds
    ) as spine_offsets
    where cast({{ dbt.dateadd('month', 'spine_offsets.month_offset', first_month) }} as date)
        <= cast({{ last_month }} as date)
{%- endmacro %}

{% macro value_digits() -%}
    (
        select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    )
{%- endmacro %}

{#- First day of the month of a date expression, as a date on every engine. -#}
{% macro value_month_of(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}

{#- Last day of the month of a date expression, as a date on every engine. -#}
{% macro value_month_end_of(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}

{#- Whole months from 2000-01 to the month of a date: a portable month index for trends. -#}
{% macro value_month_index(date_expr) -%}
    {{ dbt.datediff("cast('2000-01-01' as date)", value_month_of(date_expr), 'month') }}
{%- endmacro %}
