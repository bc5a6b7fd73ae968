-- Earned value at each schedule status date: sum over LEAF tasks of baseline cost (baseline var
-- evm_baseline_number, default 0, of that snapshot) x percent complete / 100, in the reporting
-- currency at the status date. Several schedules of one project with the same status date add up.

{%- set baseline_number = var('evm_baseline_number', 0) %}

with

task_baselines as (

    select * from {{ ref('fct_task_baseline') }}

),

final as (

    select
        project_id,
        status_on,
        sum(baseline_cost_amount * fx_rate * coalesce(percent_complete, 0) / 100.0) as ev_amount,
        sum(baseline_cost_amount * fx_rate) as snapshot_bac_amount,
        count(*) as leaf_task_count
    from task_baselines
    where is_leaf
        and project_id is not null
        and baseline_number = {{ baseline_number }}
    group by project_id, status_on

)

select * from final
