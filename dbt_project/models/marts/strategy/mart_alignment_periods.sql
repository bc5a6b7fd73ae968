-- Every project's alignment as of any day: one row per project and period over which the rows of
-- bridge_project_objective in force do not change. "As of d": valid_from_on <= d (or null: since
-- always) and (valid_to_on is null or valid_to_on >= d); exactly one period of a project holds d.
-- Periods start where a bridge row starts and the day after one ends; a period before a project's
-- first row, after its last one, or of a project without any row, has no objective.

with

projects as (

    select * from {{ ref('dim_project') }}

),

alignment as (

    select * from {{ ref('bridge_project_objective') }}

),

-- the days on which a project's alignment can change
boundaries as (

    select project_id, valid_from_on as boundary_on
    from alignment
    union
    select project_id, valid_to_on + 1
    from alignment
    where valid_to_on is not null

),

periods as (

    select
        project_id,
        boundary_on as valid_from_on,
        lead(boundary_on) over (partition by project_id order by boundary_on) - 1 as valid_to_on
    from boundaries
    union all
    select
        project_id,
        cast(null as date) as valid_from_on,
        min(boundary_on) - 1 as valid_to_on
    from boundaries
    group by project_id

),

project_periods as (

    select
        projects.project_id,
        projects.project_name,
        periods.valid_from_on,
        periods.valid_to_on
    from projects
    left join periods on projects.project_id = periods.project_id

),

-- the rows in force over a whole period (periods are cut at every row's first and last day)
in_force as (

    select
        project_periods.project_id,
        project_periods.valid_from_on,
        alignment.objective_id,
        alignment.weight,
        alignment.valid_from_on as row_valid_from_on
    from project_periods
    inner join alignment
        on project_periods.project_id = alignment.project_id
        and alignment.valid_from_on <= project_periods.valid_from_on
        and (alignment.valid_to_on is null or alignment.valid_to_on >= project_periods.valid_from_on)

),

final as (

    select
        project_periods.project_id,
        project_periods.project_name,
        project_periods.valid_from_on,
        project_periods.valid_to_on,
        cast(count(in_force.objective_id) as integer) as objective_count,
        coalesce(
            string_agg(
                in_force.objective_id || ' (' || format('{:.0f}', cast(in_force.weight as double) * 100) || '%)',
                ', ' order by in_force.objective_id, in_force.row_valid_from_on
            ),
            'none'
        ) as objectives,
        cast(coalesce(sum(in_force.weight), 0) as double) as alignment_score,
        cast(greatest(1 - least(coalesce(sum(in_force.weight), 0), 1), 0) as double) as unaligned_ratio
    from project_periods
    left join in_force
        on project_periods.project_id = in_force.project_id
        and project_periods.valid_from_on = in_force.valid_from_on
    group by
        project_periods.project_id,
        project_periods.project_name,
        project_periods.valid_from_on,
        project_periods.valid_to_on

)

select * from final
