with

measurements as (

    select * from {{ ref('stg_benefits__measurements') }}

),

keyed as (

    select
        *,
        {{ dbt.hash(dbt.concat([
            'kpi_id', "'|'", 'cast(measured_on as ' ~ dbt.type_string() ~ ')', "'|'",
            "coalesce(measurement_source, '')"
        ])) }} as reading_key
    from measurements

),

-- a reading (kpi, day, source) re-delivered in a later file replaces the earlier delivery: keep all
-- rows of the most recent snapshot (file_as_of, then ingested_at) that carries the reading
latest_delivery as (

    {{ value_latest_snapshot_rows('keyed', 'reading_key') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['reading_key', "'|'", 'source_ref'])) }} as measurement_id,
        kpi_id,
        measurement_source,
        measurement_note,
        measured_value,
        measured_on,
        {{ value_month_of('measured_on') }} as month_start_on,
        source_file,
        source_ref,
        file_as_of as recorded_on,
        ingested_at
    from latest_delivery

)

select * from final
