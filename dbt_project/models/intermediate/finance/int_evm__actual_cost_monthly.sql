-- Actual cost per project and posting month: GL posted cost in the reporting currency.
-- Lines without an FX rate have no reporting amount and are left out here (they are listed in
-- mart_reconciliation as fx_rate_missing); fx_missing_line_count keeps them visible.

with

gl_lines as (

    select * from {{ ref('fct_gl_line') }}
    where project_id is not null

),

final as (

    select
        project_id,
        {{ value_month_of('posting_on') }} as month_start_on,
        sum(amount_reporting) as ac_month_amount,
        sum(case when is_fx_missing then 1 else 0 end) as fx_missing_line_count
    from gl_lines
    group by project_id, {{ value_month_of('posting_on') }}

)

select * from final
