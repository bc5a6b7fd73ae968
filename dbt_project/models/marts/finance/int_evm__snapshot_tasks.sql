-- The leaf tasks of every schedule snapshot as earned value counts them: baseline var
-- evm_baseline_number (default 0) as in force in that snapshot, and the numbered baseline var
-- evm_original_baseline_number (default 1) where MS Project keeps the original when a schedule is
-- re-baselined (Save Baseline copies it there); baseline_number tells them apart. Baseline cost in the project's
-- currency (int_evm__project_currencies). A schedule in another currency converts at the status
-- date's rate (or the latest earlier one), cross rate via the reporting currency:
-- cost x (schedule currency -> reporting) / (project currency -> reporting). Only leaf tasks count
-- (summary tasks and the project summary task, UID 0, repeat their children's cost).

{%- set baseline_number = var('evm_baseline_number', 0) %}
{%- set original_baseline_number = var('evm_original_baseline_number', 1) %}

with

task_baselines as (

    select * from {{ ref('fct_task_baseline') }}
    where is_leaf
        and project_id is not null
        and baseline_number in ({{ baseline_number }}, {{ original_baseline_number }})

),

currencies as (

    select * from {{ ref('int_evm__project_currencies') }}

),

{{ value_fx_ctes() }},

with_project as (

    select
        task_baselines.*,
        currencies.project_currency
    from task_baselines
    inner join currencies
        on task_baselines.project_id = currencies.project_id

),

rated as (

    select
        with_project.*,
        {{ value_rate_to_reporting_columns('with_project', 'project_currency', 'status_on', 'project', 'project_rate') }}
    from with_project
    {{ value_rate_to_reporting_join('with_project', 'project_currency', 'status_on', 'project') }}

),

final as (

    select
        project_id,
        project_name,
        status_on,
        task_uid,
        baseline_number,
        project_currency,
        cast(baseline_start_at as date) as baseline_start_on,
        cast(baseline_finish_at as date) as baseline_finish_on,
        {{ value_to_project_currency('baseline_cost_amount', 'currency', 'fx_rate', 'project_currency', 'project_rate') }}
            as baseline_cost_amount,
        coalesce(percent_complete, 0) as percent_complete
    from rated

)

select * from final
