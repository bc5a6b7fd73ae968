-- The objectives each project serves on the portfolio's as-of date (the as-of month's last day,
-- int_portfolio__as_of): the rows of bridge_project_objective in force then with a weight above 0,
-- and the objective's current name.

with

alignment as (

    select * from {{ ref('bridge_project_objective') }}

),

objectives as (

    select * from {{ ref('dim_objective') }}

),

as_of as (

    select * from {{ ref('int_portfolio__as_of') }}

),

final as (

    select
        alignment.project_id,
        alignment.objective_id,
        objectives.objective_name,
        cast(alignment.weight as double) as weight_ratio,
        alignment.valid_from_on,
        alignment.valid_to_on,
        as_of.as_of_month_end_on
    from alignment
    cross join as_of
    left join objectives
        on alignment.objective_id = objectives.objective_id
        and objectives.is_current
    where alignment.weight > 0
        and alignment.valid_from_on <= as_of.as_of_month_end_on
        and (alignment.valid_to_on is null or alignment.valid_to_on >= as_of.as_of_month_end_on)

)

select * from final
