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
