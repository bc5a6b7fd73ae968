with

source as (

    select * from {{ source('benefits', 'benefits_plan') }}

),

renamed as (

    select
        benefit_id,
        period_month as month_start_on,
        planned_value,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
