-- One row per calendar day from var date_spine_start_on to var date_spine_end_on.
-- Fiscal years start in var fiscal_year_start_month and are named by the calendar year they end in.

{%- set start_on = var('date_spine_start_on', '2015-01-01') %}
{%- set end_on = var('date_spine_end_on', '2035-12-31') %}
{%- set fy_start = var('fiscal_year_start_month', 1) | int %}

with

offsets as (

    select n from ({{ integer_series(5) }}) as s
    where n <= {{ dbt.datediff("cast('" ~ start_on ~ "' as date)", "cast('" ~ end_on ~ "' as date)", 'day') }}

),

days as (

    select {{ add_days("cast('" ~ start_on ~ "' as date)", 'n') }} as date_day_on
    from offsets

),

attributes as (

    select
        date_day_on,
        {{ value_month_of('date_day_on') }} as month_start_on,
        {{ value_month_end_of('date_day_on') }} as month_end_on,
        year(date_day_on) as year,
        month(date_day_on) as month,
        {{ iso_day_of_week('date_day_on') }} as iso_day_of_week
    from days

),

final as (

    select
        date_day_on,
        month_start_on,
        month_end_on,
        cast(year as integer) as year,
        cast(month as integer) as month,
        {% if fy_start == 1 -%}
        cast(year as integer) as fiscal_year,
        {%- else -%}
        cast(case when month >= {{ fy_start }} then year + 1 else year end as integer) as fiscal_year,
        {%- endif %}
        cast(mod(month - {{ fy_start }} + 12, 12) + 1 as integer) as fiscal_period,
        cast(iso_day_of_week as integer) as iso_day_of_week,
        iso_day_of_week <= 5 as is_weekday,
        {{ add_days('date_day_on', '1 - iso_day_of_week') }} as week_start_on
    from attributes

)

select * from final
