with

alignment as (

    select * from {{ ref('bridge_project_objective') }}

),

months as (

    select * from {{ ref('int_strategy__portfolio_months') }}

),

-- a weight counts in a month when it is in force on the month's last day
final as (

    select
        alignment.project_id,
        alignment.objective_id,
        months.month_start_on,
        months.month_end_on,
        alignment.weight,
        alignment.valid_from,
        alignment.valid_to
    from alignment
    inner join months
        on alignment.valid_from <= months.month_end_on
        and (alignment.valid_to is null or alignment.valid_to >= months.month_end_on)

)

select * from final
