with

measurements as (

    select * from {{ ref('fct_kpi_measurement') }}

),

ordered as (

    select
        *,
        row_number() over (
            partition by kpi_id, month_start_on
            order by measured_on desc, ingested_at desc, source_ref desc
        ) as recency_in_month
    from measurements

),

final as (

    select
        kpi_id,
        month_start_on,
        count(*) as reading_count,
        sum(measured_value) as sum_value,
        max(case when recency_in_month = 1 then measured_value end) as latest_value,
        max(measured_on) as last_measured_on
    from ordered
    group by kpi_id, month_start_on

)

select * from final
