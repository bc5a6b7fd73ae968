-- Findings of the value office's templates, in mart_reconciliation's columns (one row per finding):
-- KPIs without a reading in a month one was due, benefits whose attribution shares sum above 1,
-- projects whose alignment weights sum above 1 in some period, benefits attributed to no project.

with

benefit_months as (

    select * from {{ ref('int_benefits__benefit_months') }}

),

measurements as (

    select * from {{ ref('fct_kpi_measurement') }}

),

attribution as (

    select * from {{ ref('bridge_benefit_project') }}

),

alignment as (

    select * from {{ ref('bridge_project_objective') }}

),

benefits as (

    select * from {{ ref('dim_benefit') }}
    where is_current

),

kpi_due_months as (

    select
        kpi_id,
        month_start_on,
        max(case when reading_count > 0 then 1 else 0 end) as has_reading
    from benefit_months
    where is_reading_due
    group by kpi_id, month_start_on

),

kpi_gaps as (

    select
        kpi_id,
        count(*) as due_month_count,
        sum(has_reading) as read_month_count,
        {{ dbt.listagg(
            'case when has_reading = 0 then substring(cast(month_start_on as ' ~ dbt.type_string() ~ '), 1, 7) end',
            "', '",
            'order by month_start_on'
        ) }} as missing_months
    from kpi_due_months
    group by kpi_id

),

kpi_files as (

    select
        kpi_id,
        max(source_file) as source_file
    from measurements
    group by kpi_id

),

kpi_checks as (

    select
        'kpi_reading_missing' as check_name,
        'kpi' as entity_type,
        kpi_gaps.kpi_id as entity_id,
        kpi_files.source_file,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(kpi_gaps.due_month_count as decimal(18, 2)) as expected_amount,
        cast(kpi_gaps.read_month_count as decimal(18, 2)) as actual_amount,
        cast(kpi_gaps.read_month_count - kpi_gaps.due_month_count as decimal(18, 2)) as difference_amount,
        cast(kpi_gaps.due_month_count - kpi_gaps.read_month_count as {{ dbt.type_string() }})
            || ' of ' || cast(kpi_gaps.due_month_count as {{ dbt.type_string() }})
            || ' monthly readings due are missing: ' || coalesce(kpi_gaps.missing_months, '') as detail,
        true as is_issue
    from kpi_gaps
    left join kpi_files on kpi_gaps.kpi_id = kpi_files.kpi_id
    where kpi_gaps.read_month_count < kpi_gaps.due_month_count

),

share_totals as (

    select
        benefit_id,
        sum(share) as total_share,
        max(source_file) as source_file
    from attribution
    group by benefit_id

),

share_checks as (

    {% call value_over_one_finding(
        'share_totals', 'attribution_share_over_one', 'benefit', 'benefit_id', 'total_share'
    ) -%}
        'attribution shares sum to ' || cast(total_share as {{ dbt.type_string() }})
            || ' (at most 1 allowed): portfolio totals would double count'
    {%- endcall %}

),

-- each start of an alignment row opens a period; sum the weights in force on that day
period_weights as (

    select
        period_starts.project_id,
        period_starts.valid_from_on as period_start_on,
        sum(alignment.weight) as total_weight,
        max(alignment.source_file) as source_file
    from (select distinct project_id, valid_from_on from alignment) as period_starts
    inner join alignment
        on period_starts.project_id = alignment.project_id
        and alignment.valid_from_on <= period_starts.valid_from_on
        and (alignment.valid_to_on is null or alignment.valid_to_on >= period_starts.valid_from_on)
    group by period_starts.project_id, period_starts.valid_from_on

),

weight_checks as (

    {% call value_over_one_finding(
        'period_weights', 'alignment_weight_over_one', 'project', 'project_id', 'total_weight'
    ) -%}
        'alignment weights sum to ' || cast(total_weight as {{ dbt.type_string() }})
            || ' from ' || cast(period_start_on as {{ dbt.type_string() }}) || ' (at most 1 allowed)'
    {%- endcall %}

),

unattributed_checks as (

    select
        'benefit_not_attributed' as check_name,
        'benefit' as entity_type,
        benefits.benefit_id as entity_id,
        benefits.source_file,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(null as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        'benefit is in the register but attributed to no project: it counts in no project total' as detail,
        true as is_issue
    from benefits
    left join share_totals on benefits.benefit_id = share_totals.benefit_id
    where share_totals.benefit_id is null

),

final as (

    select * from kpi_checks
    union all
    select * from share_checks
    union all
    select * from weight_checks
    union all
    select * from unattributed_checks

)

select * from final
