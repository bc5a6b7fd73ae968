-- GL accounts (cost elements) seen on GL lines; the name is the one on the latest posting.

with

lines as (

    select * from {{ ref('int_gl__lines_latest') }}
    where gl_account is not null

),

named as (

    select
        gl_account,
        gl_account_name
    from lines
    qualify row_number() over (
        partition by gl_account
        order by (gl_account_name is null) asc, posting_on desc, ingested_at desc
    ) = 1

),

stats as (

    select
        gl_account,
        count(*) as line_count,
        min(posting_on) as first_posting_on,
        max(posting_on) as last_posting_on
    from lines
    group by gl_account

),

final as (

    select
        stats.gl_account,
        named.gl_account_name,
        cast(stats.line_count as integer) as line_count,
        stats.first_posting_on,
        stats.last_posting_on
    from stats
    inner join named
        on stats.gl_account = named.gl_account

)

select * from final
