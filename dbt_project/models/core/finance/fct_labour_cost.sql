-- Internal labour cost, one row per worklog (and per MS Project fallback increment), beside
-- fct_gl_line: hours x the rate in force on the work date, in the rate's, the project's and the
-- reporting currency (int_labour__worklog_costs says how each row is mapped, rated, converted and
-- de-duplicated). Every row is kept: duplicates, unmapped and unrated worklogs are flagged, and
-- only is_counted rows enter actual cost.

with

costs as (

    select * from {{ ref('int_labour__worklog_costs') }}

),

final as (

    select
        worklog_key,
        worklog_id,
        source_format,
        project_id,
        mapped_by,
        issue_key,
        project_key,
        epic_key,
        parent_key,
        account_key,
        wbs_element,
        person,
        person_id,
        person_name,
        role,
        resource_group,
        rated_by,
        duplicate_of_worklog_key,
        work_on,
        rate_valid_from as rate_valid_from_on,
        fx_rate_on,
        cast(hours as double) as hours,
        cast(hourly_rate as double) as hourly_rate,
        rate_currency,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        project_currency,
        cast(round(cost_project_amount, 2) as decimal(18, 2)) as cost_project_amount,
        '{{ value_reporting_currency() }}' as reporting_currency,
        cast(round(cost_reporting_amount, 2) as decimal(18, 2)) as cost_reporting_amount,
        is_duplicate,
        is_unrated,
        is_fx_missing,
        is_counted,
        source_file,
        source_ref,
        file_sha256
    from costs

)

select * from final
