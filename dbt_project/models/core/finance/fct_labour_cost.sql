-- Internal labour cost, one row per worklog (and per MS Project fallback increment), beside
-- fct_gl_line: hours x the rate in force on the work date, in the rate's, the project's and the
-- reporting currency (int_labour__worklog_costs says how each row is mapped, rated, converted and
-- de-duplicated). Every row is kept: duplicates, unmapped and unrated worklogs are flagged, and
-- only is_counted rows enter actual cost.

with

costs as (

    select * from {{ ref('int_labour__worklog_costs') }}

),

final as (

    select * from costs

)

select * from final
