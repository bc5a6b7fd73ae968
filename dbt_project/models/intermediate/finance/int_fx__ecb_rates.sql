-- Published rates as units of each currency per 1 EUR (the ECB convention), one row per
-- (currency, rate_on). Rows loaded as EUR -> X give rate; rows loaded as X -> EUR give 1 / rate;
-- other pairs are not used. Null or non-positive rates (ECB 'N/A') are dropped here. When several
-- file versions carry the same date and currency, the most recently ingested one wins.

with

rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

eur_based as (

    select
        upper(to_currency) as currency,
        rate_on,
        rate as units_per_eur,
        ingested_at,
        file_sha256
    from rates
    where upper(from_currency) = 'EUR' and upper(to_currency) <> 'EUR' and rate > 0

    union all

    select
        upper(from_currency) as currency,
        rate_on,
        1.0 / rate as units_per_eur,
        ingested_at,
        file_sha256
    from rates
    where upper(to_currency) = 'EUR' and upper(from_currency) <> 'EUR' and rate > 0

),

final as (

    select
        currency,
        rate_on,
        units_per_eur
    from eur_based
    qualify row_number() over (
        partition by currency, rate_on order by ingested_at desc, file_sha256 desc
    ) = 1

)

select * from final
