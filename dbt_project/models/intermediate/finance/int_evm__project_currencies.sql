-- The currency each project's earned value is computed in: its schedule's CurrencyCode (EUR when
-- the file has none), from the latest loaded snapshot of the project (ties: the first currency in
-- alphabetical order). Projects without a loaded schedule have no row: their actual cost stays in
-- the reporting currency.

with

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}
    where project_id is not null

),

final as (

    select
        project_id,
        currency as project_currency,
        status_on as currency_status_on
    from snapshots
    qualify row_number() over (partition by project_id order by status_on desc, currency) = 1

)

select * from final
