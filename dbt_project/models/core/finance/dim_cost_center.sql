-- Cost centers seen on GL lines, with the company code they were last booked in.

with

lines as (

    select * from {{ ref('int_gl__lines_latest') }}
    where cost_center is not null

),

latest as (

    select
        cost_center,
        company_code
    from lines
    qualify row_number() over (partition by cost_center order by posting_on desc, ingested_at desc) = 1

),

stats as (

    select
        cost_center,
        count(*) as line_count,
        count(distinct company_code) as company_code_count,
        min(posting_on) as first_posting_on,
        max(posting_on) as last_posting_on
    from lines
    group by cost_center

),

final as (

    select
        stats.cost_center,
        latest.company_code,
        cast(stats.company_code_count as integer) as company_code_count,
        cast(stats.line_count as integer) as line_count,
        stats.first_posting_on,
        stats.last_posting_on
    from stats
    inner join latest
        on stats.cost_center = latest.cost_center

)

select * from final
