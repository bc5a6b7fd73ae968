-- The portfolio scenarios to optimise: every row of the latest portfolio_scenarios snapshot (a file
-- states the whole set: a scenario left out of the latest file is gone), and a scenario named
-- 'settings' when the dbt var optimize_budget_cap_amount is set. Read by int_portfolio__scenario_selections.

with

scenarios as (

    select * from {{ ref('stg_registry__portfolio_scenarios') }}

),

latest as (

    select *
    from scenarios
    qualify dense_rank() over (order by file_as_of desc, ingested_at desc, file_sha256 desc) = 1

),

-- a scenario named twice in the file keeps its first row (stg_registry__portfolio_scenarios warns)
first_rows as (

    select *
    from latest
    qualify row_number() over (partition by scenario order by source_ref asc nulls last) = 1

),

from_template as (

    select
        scenario,
        'template ' || source_file || ' ' || source_ref as scenario_source,
        budget_cap_amount,
        coalesce(is_alignment_weighted, {{ var('optimize_alignment_weighted') }}) as is_alignment_weighted,
        forced_in_project_ids,
        forced_out_project_ids,
        description
    from first_rows

),

{% set cap = var('optimize_budget_cap_amount', none) %}
from_settings as (

    select
        'settings' as scenario,
        'setting optimize_budget_cap_amount' as scenario_source,
        cast({{ cap if cap is not none else 'null' }} as decimal(18, 2)) as budget_cap_amount,
        {{ var('optimize_alignment_weighted') }} as is_alignment_weighted,
        cast(null as {{ dbt.type_string() }}) as forced_in_project_ids,
        cast(null as {{ dbt.type_string() }}) as forced_out_project_ids,
        'the budget cap of the settings' as description
    where {{ 'true' if cap is not none else 'false' }}

),

final as (

    select * from from_template
    union all
    select * from from_settings

)

select * from final
