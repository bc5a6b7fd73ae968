with

alignment as (

    select * from {{ ref('bridge_project_objective') }}

),

months as (

    select * from {{ ref('int_strategy__portfolio_months') }}

),

projects as (

    select * from {{ ref('dim_project') }}

),

-- the day a project's weights are read in a month: the month's last day, or its close date for
-- every month that ends after the project closed (the alignment in force at its close)
project_alignment_days as (

    select
        projects.project_id,
        months.month_start_on,
        months.month_end_on,
        case
            when projects.closed_on is not null and projects.closed_on < months.month_end_on
                then projects.closed_on
            else months.month_end_on
        end as alignment_on,
        coalesce(projects.closed_on < months.month_end_on, false) as is_after_project_close
    from projects
    cross join months

),

final as (

    select
        alignment.project_id,
        alignment.objective_id,
        project_alignment_days.month_start_on,
        project_alignment_days.month_end_on,
        project_alignment_days.alignment_on,
        project_alignment_days.is_after_project_close,
        alignment.weight,
        alignment.valid_from_on,
        alignment.valid_to_on
    from alignment
    inner join project_alignment_days
        on alignment.project_id = project_alignment_days.project_id
        and alignment.valid_from_on <= project_alignment_days.alignment_on
        and (alignment.valid_to_on is null or alignment.valid_to_on >= project_alignment_days.alignment_on)

)

select * from final
