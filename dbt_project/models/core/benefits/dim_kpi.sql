with

benefits as (

    select * from {{ ref('dim_benefit') }}

),

objectives as (

    select * from {{ ref('dim_objective') }}

),

measurements as (

    select * from {{ ref('fct_kpi_measurement') }}

),

benefit_kpis as (

    select
        kpi_id,
        unit,
        direction,
        aggregation
    from benefits
    qualify row_number() over (partition by kpi_id order by is_current desc, valid_from_on desc, benefit_id) = 1

),

objective_kpis as (

    select distinct kpi_id
    from objectives
    where kpi_id is not null and is_current

),

all_kpis as (

    select kpi_id from benefit_kpis
    union
    select kpi_id from objective_kpis
    union
    select kpi_id from measurements

),

reading_stats as (

    select
        kpi_id,
        count(*) as reading_count,
        min(measured_on) as first_measured_on,
        max(measured_on) as last_measured_on
    from measurements
    group by kpi_id

),

final as (

    select
        all_kpis.kpi_id,
        benefit_kpis.unit,
        benefit_kpis.direction,
        benefit_kpis.aggregation,
        'month' as expected_interval,
        benefit_kpis.kpi_id is not null as is_benefit_kpi,
        objective_kpis.kpi_id is not null as is_objective_kpi,
        cast(coalesce(reading_stats.reading_count, 0) as integer) as reading_count,
        reading_stats.first_measured_on,
        reading_stats.last_measured_on
    from all_kpis
    left join benefit_kpis on all_kpis.kpi_id = benefit_kpis.kpi_id
    left join objective_kpis on all_kpis.kpi_id = objective_kpis.kpi_id
    left join reading_stats on all_kpis.kpi_id = reading_stats.kpi_id

)

select * from final
