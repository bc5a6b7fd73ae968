-- dbt_project/MEASURES.md, strategic alignment: for every month and measure (spend, EV, realized benefit value),
-- the objectives' aligned amounts plus the portfolio's unaligned amount equal the portfolio total.
-- Each figure is rounded to the cent on its own row, so allow half a cent per term.
with

alignment as (

    select * from {{ ref('mart_strategic_alignment') }}

),

months as (

    select
        month_start_on,
        count(*) + 1 as terms,
        sum(aligned_spend_amount) + max(portfolio_unaligned_spend_amount) - max(portfolio_spend_amount)
            as spend_gap,
        sum(aligned_ev_amount) + max(portfolio_unaligned_ev_amount) - max(portfolio_ev_amount) as ev_gap,
        sum(aligned_realized_benefit_amount) + max(portfolio_unaligned_realized_benefit_amount)
            - max(portfolio_realized_benefit_amount) as benefit_gap
    from alignment
    group by month_start_on

)

select *
from months
where abs(spend_gap) > 0.005 * terms
    or abs(ev_gap) > 0.005 * terms
    or abs(benefit_gap) > 0.005 * terms
