-- The portfolio's as-of month: the one month every "to date" figure is measured at. The var
-- as_of_month (any date in the month, e.g. '2026-09-30') sets it; by default it is the latest month
-- with data: the latest GL posting on a project, schedule status date or KPI reading.

with

gl_lines as (

    select * from {{ ref('fct_gl_line') }}

),

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}

),

measurements as (

    select * from {{ ref('fct_kpi_measurement') }}

),

data_dates as (

    select max(posting_on) as data_on, 'gl_posting' as data_source from gl_lines where project_id is not null
    union all
    select max(status_on), 'status_date' from snapshots where project_id is not null
    union all
    select max(measured_on), 'kpi_reading' from measurements

),

latest as (

    select data_on, data_source
    from data_dates
    where data_on is not null
    qualify row_number() over (order by data_on desc, data_source) = 1

),

final as (

    {%- set as_of = var('as_of_month', none) %}
    select
        {%- if as_of %}
        {{ value_month_of("cast('" ~ as_of ~ "' as date)") }} as as_of_month_on,
        {{ value_month_end_of("cast('" ~ as_of ~ "' as date)") }} as as_of_month_end_on,
        'setting as_of_month' as as_of_source,
        {%- else %}
        {{ value_month_of('latest.data_on') }} as as_of_month_on,
        {{ value_month_end_of('latest.data_on') }} as as_of_month_end_on,
        'latest ' || latest.data_source as as_of_source,
        {%- endif %}
        latest.data_on as latest_data_on
    from latest

)

select * from final
