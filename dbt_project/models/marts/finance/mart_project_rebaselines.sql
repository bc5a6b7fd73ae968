-- The schedule status dates where a project's baseline changed (mart_project_baseline_changes
-- is_rebaselined), each against what it changed: the original baseline for a project's first
-- snapshot, the previous snapshot for every later one.

with

baseline_changes as (

    select * from {{ ref('mart_project_baseline_changes') }}

),

final as (

    select
        project_id,
        status_on,
        baseline_number,
        case when previous_status_on is null then 'original' else 'previous' end as compared_with,
        case
            when previous_status_on is null then bac_change_vs_original_project_amount
            else bac_change_vs_previous_project_amount
        end as bac_change_project_amount,
        case
            when previous_status_on is null then bac_change_vs_original_amount
            else bac_change_vs_previous_amount
        end as bac_change_amount,
        case
            when previous_status_on is null then finish_slip_vs_original_days
            else finish_slip_vs_previous_days
        end as finish_slip_days,
        project_currency,
        reporting_currency
    from baseline_changes
    where is_rebaselined

)

select * from final
